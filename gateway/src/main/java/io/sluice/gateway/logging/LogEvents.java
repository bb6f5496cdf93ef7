package io.sluice.gateway.logging;

import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;

/** What both log formats say the same way: the logger's short name, an exception's causes and its stack. */
final class LogEvents {
    private LogEvents() {}

    /** {@code io.sluice.gateway.Gateway} → {@code Gateway}. */
    static String simpleName(String loggerName) {
        return loggerName.substring(loggerName.lastIndexOf('.') + 1);
    }

    /** {@code IllegalStateException: outer <- IOException: inner}: the chain of causes, classes and messages. */
    static String describe(IThrowableProxy thrown) {
        StringBuilder text = new StringBuilder();
        int depth = 0;
        for (IThrowableProxy t = thrown; t != null && depth < 16; t = t.getCause(), depth++) {
            if (depth > 0) {
                text.append(" <- ");
            }
            text.append(simpleName(t.getClassName()));
            if (t.getMessage() != null) {
                text.append(": ").append(t.getMessage());
            }
        }
        return text.toString();
    }

    /** The stack trace as Java prints it, causes included. */
    static String stack(IThrowableProxy thrown) {
        StringBuilder stack = new StringBuilder();
        int depth = 0;
        for (IThrowableProxy t = thrown; t != null && depth < 16; t = t.getCause(), depth++) {
            if (depth > 0) {
                stack.append("Caused by: ");
            }
            stack.append(t.getClassName());
            if (t.getMessage() != null) {
                stack.append(": ").append(t.getMessage());
            }
            stack.append('\n');
            for (StackTraceElementProxy frame : t.getStackTraceElementProxyArray()) {
                stack.append("\tat ").append(frame.getStackTraceElement()).append('\n');
            }
        }
        return stack.toString();
    }
}

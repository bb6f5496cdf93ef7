package io.sluice.gateway.cli;

import io.sluice.gateway.protocol.Failures;
import io.sluice.gateway.routefiles.RouteFileException;
import io.sluice.spi.SettingException;
import java.io.PrintWriter;

/** How a command that fails says so: one line on stderr, and the exit status that goes with it. */
final class Problems {
    /** A bad command line, setting or route file. */
    static final int CONFIGURATION = 2;
    /** A route or backend that cannot start, or a failed stop. */
    static final int FAILURE = 1;

    private Problems() {}

    /** Prints the one line for a failure and returns its exit status. */
    static int report(Throwable failure, PrintWriter err) {
        SettingException setting = settingIn(failure);
        int status;
        if (setting != null) {
            err.println("sluice: " + setting.problem());
            status = CONFIGURATION;
        } else if (failure instanceof RouteFileException routes) {
            err.println("sluice: " + routes.getMessage());
            status = CONFIGURATION;
        } else {
            err.println("sluice: cannot start: " + rootDescription(failure));
            status = FAILURE;
        }
        err.flush();
        return status;
    }

    /** The setting at fault somewhere in a chain of causes, if any. */
    static SettingException settingIn(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SettingException s) {
                return s;
            }
        }
        return null;
    }

    /** The most specific message in a chain of causes: the one that says what is wrong. */
    static String rootDescription(Throwable failure) {
        Throwable t = failure;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String message = t.getMessage();
        return message == null
                ? Failures.describe(t)
                : message.lines().findFirst().orElse(message);
    }
}

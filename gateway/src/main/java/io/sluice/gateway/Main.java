package io.sluice.gateway;

import io.sluice.gateway.protocol.Failures;
import io.sluice.spi.SettingException;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar sluice-gateway.jar}: runs the gateway until SIGTERM or SIGINT. A bad setting or a route
 * that cannot start ends it with one line on stderr naming the problem, and exit status 2 or 1.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        if (args.length > 0 && !args[0].equals("run")) {
            System.err.println("sluice: unknown command '" + args[0] + "' (expected: run)");
            System.exit(2);
        }
        Gateway gateway;
        try {
            gateway = Gateway.start(SettingsSources.load());
        } catch (SettingException e) {
            System.err.println("sluice: invalid setting " + e.getMessage());
            System.exit(2);
            return;
        } catch (Exception e) {
            System.err.println("sluice: cannot start: " + rootDescription(e));
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("sluice-shutdown").unstarted(() -> {
            gateway.close();
            stopped.countDown();
        }));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The most specific message in a chain of causes: the one that says what is wrong. */
    static String rootDescription(Throwable failure) {
        Throwable t = failure;
        SettingException setting = null;
        while (t != null) {
            if (t instanceof SettingException s) {
                setting = s;
            }
            if (t.getCause() == null || t.getCause() == t) {
                break;
            }
            t = t.getCause();
        }
        if (setting != null) {
            return "invalid setting " + setting.getMessage();
        }
        String message = t.getMessage();
        return message == null ? Failures.describe(t) : message.lines().findFirst().orElse(message);
    }
}

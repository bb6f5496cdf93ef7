package io.sluice.gateway;

import io.sluice.gateway.logging.Logging;
import io.sluice.gateway.protocol.Failures;
import io.sluice.spi.SettingException;
import io.sluice.spi.Settings;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar sluice-gateway.jar}: runs the gateway until SIGTERM or SIGINT, then stops gracefully (see
 * {@link Gateway#shutdown()}) and exits 0. A bad setting or a route that cannot start ends it with one line on
 * stderr naming the problem, and exit status 2 or 1.
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
            Settings settings = SettingsSources.load();
            Logging.configure(settings);
            gateway = Gateway.start(settings);
        } catch (Exception e) {
            SettingException setting = settingIn(e);
            if (setting != null) {
                System.err.println("sluice: invalid setting " + setting.getMessage());
                System.exit(2);
            } else {
                System.err.println("sluice: cannot start: " + rootDescription(e));
                System.exit(1);
            }
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("sluice-shutdown").unstarted(() -> {
            int status = 0;
            try {
                gateway.shutdown();
            } catch (RuntimeException | Error e) {
                System.err.println("sluice: shutdown failed: " + rootDescription(e));
                status = 1;
            }
            stopped.countDown();
            System.out.flush();
            System.err.flush();
            // A JVM ended by SIGTERM exits 143 even after a clean stop; a clean stop is 0 to a supervisor.
            Runtime.getRuntime().halt(status);
        }));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
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
        return message == null ? Failures.describe(t) : message.lines().findFirst().orElse(message);
    }
}

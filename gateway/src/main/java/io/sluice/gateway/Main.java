package io.sluice.gateway;

import io.sluice.gateway.logging.Logging;
import io.sluice.gateway.protocol.Failures;
import io.sluice.gateway.routefiles.RouteFileException;
import io.sluice.gateway.routefiles.RoutesCommand;
import io.sluice.spi.SettingException;
import io.sluice.spi.Settings;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar sluice-gateway.jar [run|routes] [-Dsluice.key=value ...]}: {@code run} (the default) runs the
 * gateway until SIGTERM or SIGINT, then stops gracefully (see {@link Gateway#shutdown()}) and exits 0;
 * {@code routes} checks and prints the route files ({@link RoutesCommand}). Settings may follow the command as
 * {@code -Dkey=value}, as they would precede {@code -jar}. A bad setting or route file ends it with one line on
 * stderr naming the problem and exit status 2; a route that cannot start, with exit status 1.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        String command = "run";
        for (String arg : args) {
            if (arg.startsWith("-D") && arg.indexOf('=') > 2) {
                System.setProperty(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
            } else {
                command = arg;
            }
        }
        if (command.equals("routes")) {
            int status;
            try {
                status = RoutesCommand.run(SettingsSources.load(), System.out, System.err);
            } catch (SettingException e) {
                System.err.println("sluice: invalid setting " + e.getMessage());
                status = 2;
            }
            System.exit(status);
        }
        if (!command.equals("run")) {
            System.err.println("sluice: unknown command '" + command + "' (expected: run or routes)");
            System.exit(2);
        }
        Gateway gateway;
        try {
            Settings settings = SettingsSources.load();
            Logging.configure(settings);
            gateway = Gateway.start(settings);
        } catch (Exception e) {
            SettingException setting = settingIn(e);
            RouteFileException routes = e instanceof RouteFileException r ? r : null;
            if (setting != null) {
                System.err.println("sluice: invalid setting " + setting.getMessage());
                System.exit(2);
            } else if (routes != null) {
                System.err.println("sluice: " + routes.getMessage());
                System.exit(2);
            } else {
                System.err.println("sluice: cannot start: " + rootDescription(e));
                System.exit(1);
            }
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(Thread.ofPlatform().name("sluice-shutdown").unstarted(() -> {
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
        return message == null
                ? Failures.describe(t)
                : message.lines().findFirst().orElse(message);
    }
}

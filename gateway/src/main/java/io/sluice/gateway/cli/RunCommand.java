package io.sluice.gateway.cli;

import io.sluice.gateway.Gateway;
import io.sluice.gateway.logging.Logging;
import io.sluice.gateway.settings.SettingsSources;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;

/**
 * {@code run}, the default: runs the gateway until SIGTERM or SIGINT, then stops gracefully (see
 * {@link Gateway#shutdown()}) and exits 0. A bad setting or route file ends it with one line on stderr naming the
 * problem and exit status 2; a route or backend that cannot start, with exit status 1.
 */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        versionProvider = BuildInfo.class,
        description = "Run the gateway (the default command) until SIGTERM or SIGINT.")
public final class RunCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        PrintWriter err = new PrintWriter(System.err, true);
        Gateway gateway;
        try {
            SettingsSources settings = SettingsSources.load();
            Logging.configure(settings);
            gateway = Gateway.start(settings);
        } catch (Exception e) {
            return Problems.report(e, err);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(Thread.ofPlatform().name("sluice-shutdown").unstarted(() -> {
                    int status = 0;
                    try {
                        gateway.shutdown();
                    } catch (RuntimeException | Error e) {
                        System.err.println("sluice: shutdown failed: " + Problems.rootDescription(e));
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
        return 0;
    }
}

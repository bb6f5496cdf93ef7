package io.sluice.bench;

import io.sluice.client.ClientOptions;
import io.sluice.client.Identity;
import io.sluice.client.SluiceClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Scenario 5: from launching {@code java -jar sluice-gateway.jar} (fresh data directory) to the first
 * accepted login, a client trying to connect every few milliseconds meanwhile.
 */
final class ColdStartBench {
    private static final Pattern STARTUP_MS = Pattern.compile("startup_ms=(\\d+)");
    private static final Duration GIVE_UP = Duration.ofSeconds(60);

    private ColdStartBench() {}

    /** Each launch's time to first login and the gateway's own startup_ms (routes, queue, front). */
    record Result(List<Double> toLoginMillis, List<Long> gatewayStartupMillis) {
        double median() {
            List<Double> sorted = toLoginMillis.stream().sorted().toList();
            return sorted.isEmpty() ? Double.NaN : sorted.get(sorted.size() / 2);
        }
    }

    static Result run(BenchOptions options, int launches) throws Exception {
        ClientOptions client = ClientOptions.defaults().withRequestTimeout(Duration.ofSeconds(2));
        Identity identity = Identity.generate();
        List<Double> times = new ArrayList<>();
        List<Long> startups = new ArrayList<>();
        for (int i = 0; i < launches; i++) {
            Path data = Workspace.fresh(options.work().resolve("coldstart-data"));
            ServerProcess.GatewayLaunch launch = new ServerProcess.GatewayLaunch(
                    options.gatewayJar(), List.of(), Map.of(), data, options.serverJvm());
            long start = System.nanoTime();
            try (ServerProcess gateway = ServerProcess.launchGateway(
                    "gateway-coldstart", launch, options.work().resolve("logs"))) {
                long deadline = start + GIVE_UP.toNanos();
                while (true) {
                    try (SluiceClient login =
                            SluiceClient.connect(gateway.uri(), client).get(2, TimeUnit.SECONDS)) {
                        login.login(identity, 1).get(2, TimeUnit.SECONDS);
                        break;
                    } catch (Exception notYet) {
                        if (System.nanoTime() > deadline || !gateway.process().isAlive()) {
                            throw new IllegalStateException("no login within " + GIVE_UP + ":\n" + gateway.tail());
                        }
                        Thread.sleep(5);
                    }
                }
                double millis = (System.nanoTime() - start) / 1e6;
                times.add(millis);
                Matcher m = STARTUP_MS.matcher(Files.readString(options.work().resolve("logs/gateway-coldstart.log")));
                startups.add(m.find() ? Long.parseLong(m.group(1)) : -1);
                System.out.printf(
                        "cold start %d: %.0f ms to the first login (gateway startup_ms=%d)%n",
                        i + 1, millis, startups.get(startups.size() - 1));
            }
        }
        return new Result(times, startups);
    }
}

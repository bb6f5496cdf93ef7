package io.sluice.gateway.e2e;

import static io.sluice.gateway.testing.Keys.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.client.Identity;
import io.sluice.client.Inbound;
import io.sluice.client.SluiceClient;
import io.sluice.gateway.testing.GatewayProcess;
import io.sluice.gateway.testing.Scrape;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What one message costs a Prometheus server: the jar, a recipient logged in, one sealed message sent, delivered
 * and acked, then one scrape. Latency histograms stay on a few SLO buckets, labels are snake_case, units are base
 * units, and nothing comes from the throw-away context that validates the route files.
 */
class MetricSeriesIT {
    /** Prometheus's own rule for label names, with the snake_case convention on top: no upper case. */
    private static final Pattern SNAKE_CASE = Pattern.compile("[a-z_][a-z0-9_]*");

    @TempDir
    Path dataDir;

    @Test
    void oneMessageCostsAFewSloBucketsInSnakeCaseAndBaseUnits() throws Exception {
        Scrape scrape;
        try (GatewayProcess gateway = GatewayProcess.start(dataDir, Map.of("sluice.prekeys.check-interval", "1h"))) {
            Identity bob = Identity.generate();
            SluiceClient phone = SluiceClient.connect(gateway.uri()).get();
            phone.login(bob, 1).get();
            SluiceClient alice = SluiceClient.connect(gateway.uri()).get();
            alice.send(bob.userId(), 1, bytes("one message")).get();
            Inbound message = phone.nextInbound(Duration.ofSeconds(10));
            message.ack();
            alice.close();
            phone.close();
            scrape = Scrape.of(gateway.adminUri().resolve("/metrics"));
        }

        Map<String, Integer> families = new TreeMap<>();
        scrape.startingWith("").forEach(s -> families.merge(s.name(), 1, Integer::sum));
        int total = families.values().stream().mapToInt(Integer::intValue).sum();
        System.out.printf(
                "series after one message: %d in all, %d sluice_requests_seconds_bucket, %d sluice_*; by name: %s%n",
                total,
                families.getOrDefault("sluice_requests_seconds_bucket", 0),
                scrape.startingWith("sluice_").size(),
                families);

        // login, outboundMessage and ack: a dozen SLO buckets each, not a percentile histogram's 69.
        assertThat(scrape.startingWith("sluice_requests_seconds_bucket")).hasSizeBetween(3, 3 * 12);
        assertThat(scrape.startingWith("sluice_delivery_lag_seconds_bucket")).hasSizeBetween(1, 16);
        assertThat(scrape.startingWith("sluice_")).hasSizeLessThan(150);
        assertThat(scrape.startingWith(""))
                .allSatisfy(sample -> assertThat(sample.labels().keySet())
                        .as("labels of %s", sample.name())
                        .allMatch(label -> SNAKE_CASE.matcher(label).matches()));
        assertThat(scrape.startingWith("")).noneMatch(s -> s.labels().containsKey("camel_context"));
        assertThat(scrape.startingWith(""))
                .as("no route of the validation context")
                .noneMatch(s -> s.labels().values().stream().anyMatch(v -> v.startsWith("camel-")));
        assertThat(families.keySet())
                .as("base units: seconds and bytes, never ns, ms or kilobytes")
                .noneMatch(name -> name.matches(".*_(ns|nanoseconds|ms|milliseconds|kilobytes|megabytes)(_.*)?"));
        assertThat(scrape.value("process_cpu_time_seconds_total", Map.of())).isPositive();
    }
}

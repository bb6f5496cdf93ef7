package io.sluice.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.gateway.testing.Scrape;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cluster of {@code examples/cluster} (cluster.sh on free ports), clients through HAProxy under load, and one
 * gateway killed with -9 mid-load: its clients reconnect through HAProxy to the others, and nothing acked is lost
 * or reordered.
 */
class ClusterFailoverIT {
    private static final int PAIRS = 6;
    private static final Duration LOAD_BEFORE = Duration.ofSeconds(8);
    private static final Duration LOAD_AFTER = Duration.ofSeconds(10);

    @TempDir
    Path state;

    @Test
    void killingAGatewayUnderLoadLosesNothingAcked() throws Exception {
        try (ClusterScript cluster = ClusterScript.start(state, Map.of());
                FailoverLoad load = FailoverLoad.start(cluster.uri(), PAIRS)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> load.acked() > 0);
            Thread.sleep(LOAD_BEFORE.toMillis()); // load runs meanwhile

            int victim = busiestGateway(cluster);
            double victimConnections = connections(cluster, victim);
            long ackedBefore = load.acked();
            long killedAt = System.nanoTime();
            cluster.kill9("gateway-" + victim);

            Thread.sleep(LOAD_AFTER.toMillis()); // load runs on through the failover
            load.stopSending();
            boolean complete = load.awaitAllAckedDelivered(Duration.ofSeconds(60));
            FailoverLoad.Report report = load.report(killedAt);
            System.out.printf(
                    "ClusterFailoverIT: gateway-%d killed with %.0f connections after %d acks; %s%n",
                    victim, victimConnections, ackedBefore, report);

            assertThat(victimConnections).as("clients on the killed gateway").isPositive();
            assertThat(report.reconnects())
                    .as("clients that lost their gateway and reconnected")
                    .isPositive();
            assertThat(report.acked()).as("acked after the kill too").isGreaterThan(ackedBefore);
            assertThat(report.lost()).as("acked, never delivered").isZero();
            assertThat(complete).as("every acked message delivered").isTrue();
            assertThat(report.outOfOrder())
                    .as("delivered before a message accepted earlier")
                    .isZero();
        }
    }

    /** The gateway (1 to 3) with the most open client connections. */
    private static int busiestGateway(ClusterScript cluster) throws Exception {
        int busiest = 1;
        for (int n = 2; n <= 3; n++) {
            if (connections(cluster, n) > connections(cluster, busiest)) {
                busiest = n;
            }
        }
        return busiest;
    }

    private static double connections(ClusterScript cluster, int gateway) throws Exception {
        return Scrape.of(cluster.adminUri(gateway).resolve("/metrics")).startingWith("sluice_connections").stream()
                .filter(sample -> sample.name().equals("sluice_connections"))
                .mapToDouble(Scrape.Sample::value)
                .sum();
    }
}

package io.sluice.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.gateway.Gateway;
import io.sluice.spi.Settings;
import io.sluice.testing.kafka.KafkaBrokerExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults of the path between the gateway and its Kafka broker under load, through routes/kafka.yaml: the broker
 * frozen (SIGSTOP: connections kept, nothing answered, as a stalled network) and stopped and started again
 * (connections closed and refused). A {@link io.sluice.testkit.TcpProxy} cannot sit in front of Kafka: after the
 * bootstrap the clients connect to the address the broker advertises, which examples/kafka/kafka.sh makes its own.
 * Every message counted: 0 lost, 0 out of order, the load flowing again within {@link FaultRun#RECOVERY}.
 */
class KafkaBrokerFaultsIT {
    private static final Duration FAULT = Duration.ofSeconds(3);

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    @TempDir
    Path dataDir;

    @Test
    void everyAckedMessageIsDeliveredInOrderThroughBrokerStallsAndRestartsAndTheLoadRecoversWithinFiveSeconds()
            throws Exception {
        String run = "faults-" + UUID.randomUUID();
        Ledger ledger = new Ledger();
        List<String> recoveries = new ArrayList<>();
        List<Duration> times = new ArrayList<>();
        try (Gateway gateway = Gateway.start(Settings.of(Map.of(
                        "sluice.host",
                        "127.0.0.1",
                        "sluice.port",
                        "0",
                        "sluice.admin.port",
                        "0",
                        "sluice.data-dir",
                        dataDir.toString(),
                        "sluice.routes",
                        "classpath:routes/kafka.yaml",
                        "sluice.kafka.brokers",
                        KAFKA.bootstrapServers(),
                        "sluice.kafka.topic",
                        run,
                        "sluice.kafka.dead-letter-topic",
                        run + ".dead-letter",
                        "sluice.kafka.consumer-group",
                        run,
                        "sluice.prekeys.check-interval",
                        "1h")));
                Load load = Load.start(gateway.uri(), 4, 4, ledger)) {
            FaultRun.awaitFlowing(ledger, System.nanoTime(), Duration.ofSeconds(60));
            for (int cycle = 1; cycle <= FaultRun.cycles(); cycle++) {
                Thread.sleep(FaultRun.loadTime().toMillis()); // the load runs meanwhile
                String fault;
                if (cycle % 2 == 1) {
                    fault = "stall";
                    KAFKA.pause();
                    Thread.sleep(FAULT.toMillis());
                    KAFKA.resume();
                } else {
                    fault = "restart";
                    KAFKA.stop();
                    KAFKA.start();
                }
                Duration recovery = FaultRun.awaitFlowing(ledger, System.nanoTime(), Duration.ofSeconds(120));
                times.add(recovery);
                recoveries.add(fault + "=" + recovery.toMillis());
            }
            Thread.sleep(FaultRun.loadTime().toMillis());
            load.stopSending();
            FaultRun.awaitDelivered(ledger, Duration.ofSeconds(60));
        }
        Ledger.Counts counts = ledger.counts();
        FaultRun.report("kafka-broker cycles=" + FaultRun.cycles() + " " + counts + " recovery_ms=" + recoveries);

        assertThat(counts.acked()).as("messages acked").isPositive();
        assertThat(counts.lost()).as("acked messages lost").isZero();
        assertThat(counts.outOfOrder()).as("messages delivered out of order").isZero();
        assertThat(times)
                .as("time from the end of each broker fault to the load flowing again")
                .allSatisfy(r -> assertThat(r).isLessThanOrEqualTo(FaultRun.RECOVERY));
    }
}

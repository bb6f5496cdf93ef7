package io.sluice.faults;

import io.sluice.testing.kafka.KafkaBrokerExtension;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Kill -9 loops through routes/kafka.yaml, the broker stopped and started again before every second kill while the
 * load runs: what was acked went to the broker ({@code acks=all}) and must reach its recipient through the consumer
 * of whichever gateway runs next.
 */
class KafkaKillLoopIT extends KillLoopScenario {
    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    private final String run = UUID.randomUUID().toString();

    @Override
    protected Map<String, String> settings() {
        return Map.of(
                "sluice.routes", "classpath:routes/kafka.yaml",
                "sluice.kafka.brokers", KAFKA.bootstrapServers(),
                "sluice.kafka.topic", "faults-" + run,
                "sluice.kafka.dead-letter-topic", "faults-" + run + ".dead-letter",
                "sluice.kafka.consumer-group", "faults-" + run);
    }

    @Override
    protected String name() {
        return "kafka";
    }

    @Override
    protected String backendFault(int cycle) {
        if (cycle % 2 != 0) {
            return "";
        }
        long stopped = System.nanoTime();
        KAFKA.stop();
        KAFKA.start();
        return "broker stop/start " + (System.nanoTime() - stopped) / 1_000_000 + " ms";
    }
}

package io.sluice.routes;

import static io.sluice.gateway.testing.Keys.bytes;
import static io.sluice.gateway.testing.Keys.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.client.Identity;
import io.sluice.client.SluiceClient;
import io.sluice.gateway.testing.GatewayExtension;
import io.sluice.gateway.testing.Scrape;
import io.sluice.testing.kafka.KafkaBrokerExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * routes/kafka.yaml with a small queue quota: the consuming route reads whole polls into the queue, and a record the
 * recipient's full queue refuses holds its partition. Nothing the broker acked is lost or reordered: once the
 * recipient makes room, the held records, and those behind them, come in the order sent.
 */
class KafkaQueueQuotaIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int QUOTA = 3;

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    @RegisterExtension
    static final GatewayExtension GATEWAY = GatewayExtension.withSettings(RouteFixtures.kafka(
            KAFKA.bootstrapServers(),
            "sluice.it.quota." + UUID.randomUUID(),
            "sluice-it-" + UUID.randomUUID(),
            Map.of("sluice.limits.queue-messages", Integer.toString(QUOTA))));

    @Test
    void recordsAFullQueueRefusedAreRetriedUntilThereIsRoomAndArriveOnceInOrder() throws Exception {
        Identity bob = Identity.generate();
        Identity carol = Identity.generate();
        SluiceClient sender = GATEWAY.connect();
        List<String> toBob = new ArrayList<>();
        List<String> toCarol = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            // Interleaved on one partition: Carol's records sit behind Bob's refused ones.
            String forBob = "bob " + i;
            sender.send(bob.userId(), 1, bytes(forBob)).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            toBob.add(forBob);
            if (i % 3 == 0) {
                String forCarol = "carol " + i;
                sender.send(carol.userId(), 1, bytes(forCarol)).get(WAIT.toSeconds(), TimeUnit.SECONDS);
                toCarol.add(forCarol);
            }
        }
        await().atMost(WAIT)
                .alias("the consumer met Bob's full queue")
                .until(() -> Scrape.of(GATEWAY.adminUri().resolve("/metrics"))
                                .value("sluice_limits_rejected_total", Map.of("limit", "queue-messages"))
                        > 0);

        List<String> bobGot = Collections.synchronizedList(new ArrayList<>());
        List<String> carolGot = Collections.synchronizedList(new ArrayList<>());
        GATEWAY.login(carol, 1).onInbound(message -> {
            carolGot.add(text(message.body()));
            message.ack();
        });
        GATEWAY.login(bob, 1).onInbound(message -> {
            bobGot.add(text(message.body()));
            message.ack();
        });

        await().atMost(Duration.ofSeconds(60)).until(() -> bobGot.size() >= toBob.size());
        await().atMost(WAIT).until(() -> carolGot.size() >= toCarol.size());
        assertThat(bobGot).containsExactlyElementsOf(toBob);
        assertThat(carolGot).containsExactlyElementsOf(toCarol);
    }
}

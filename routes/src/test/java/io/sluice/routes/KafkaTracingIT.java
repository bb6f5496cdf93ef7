package io.sluice.routes;

import static io.sluice.gateway.testing.Keys.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.sluice.client.Identity;
import io.sluice.client.Inbound;
import io.sluice.client.SluiceClient;
import io.sluice.connector.kafka.RecordHeaders;
import io.sluice.gateway.testing.GatewayExtension;
import io.sluice.gateway.testing.InMemoryTracing;
import io.sluice.testing.kafka.KafkaBrokerExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The W3C trace context crosses Kafka: the sender's request span is in the record's headers, and the consuming
 * gateway's sluice:deliver span of that record, which queues the message for the recipient, belongs to the same
 * trace (the kafka-inbound route takes a whole poll per exchange, so each record gets a span of its own).
 */
class KafkaTracingIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String TOPIC = "sluice.it.traced." + UUID.randomUUID();
    private static final InMemoryTracing TRACES = new InMemoryTracing();

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    @RegisterExtension
    static final GatewayExtension GATEWAY = GatewayExtension.withSettings(RouteFixtures.kafka(
                    KAFKA.bootstrapServers(),
                    TOPIC,
                    "sluice-it-" + UUID.randomUUID(),
                    Map.of("sluice.kafka.producer-timeout", "5s", "sluice.prekeys.check-interval", "1h")))
            .tracedBy(TRACES.sdk());

    @Test
    void theConsumingRoutesSpanJoinsTheSendersTraceThroughTheRecordHeaders() throws Exception {
        Identity bob = Identity.generate();
        SluiceClient phone = GATEWAY.login(bob, 1);
        GATEWAY.connect().send(bob.userId(), 1, bytes("traced through kafka")).get();
        Inbound delivered = phone.nextInbound(WAIT);
        assertThat(delivered).isNotNull();
        delivered.ack();

        SpanData request = TRACES.spans().stream()
                .filter(s -> s.getName().equals("sluice:outbound"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no request span in " + TRACES.spans()));

        // On the topic: the record names its recipient and carries the request's trace, nothing else.
        List<ConsumerRecord<String, byte[]>> records =
                RawKafka.readUntil(KAFKA.bootstrapServers(), TOPIC, read -> !read.isEmpty());
        assertThat(records).singleElement().satisfies(record -> {
            assertThat(record.headers())
                    .extracting(h -> h.key())
                    .containsExactlyInAnyOrder(
                            RecordHeaders.USER_ID, RecordHeaders.DEVICE_ID, RecordHeaders.TRACEPARENT);
            String traceparent = new String(
                    record.headers().lastHeader(RecordHeaders.TRACEPARENT).value(), StandardCharsets.UTF_8);
            assertThat(traceparent).startsWith("00-" + request.getTraceId() + "-");
        });

        // On the consuming side: the record's sluice:deliver span is a child of the producer's span (the span of
        // the topic's endpoint in the sender's trace), and says what became of the message.
        await().atMost(WAIT).untilAsserted(() -> {
            List<SpanData> trace = TRACES.spans().stream()
                    .filter(s -> s.getTraceId().equals(request.getTraceId()))
                    .toList();
            SpanData producer = trace.stream()
                    .filter(s -> String.valueOf(s.getAttributes().get(AttributeKey.stringKey("camel.uri")))
                            .startsWith("kafka://" + TOPIC))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no producer span in " + trace));
            assertThat(trace).as("%s", TRACES.spans()).anySatisfy(deliver -> {
                assertThat(deliver.getName()).isEqualTo("sluice:deliver");
                assertThat(deliver.getParentSpanId()).isEqualTo(producer.getSpanId());
                assertThat(deliver.getAttributes().get(AttributeKey.stringKey("sluice.deliver.outcome")))
                        .isEqualTo("queued");
            });
        });
    }
}

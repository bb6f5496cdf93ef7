package io.sluice.connector.kafka;

import io.sluice.spi.ErrorName;
import io.sluice.spi.SluiceException;
import io.sluice.spi.SluiceHeaders;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.DefaultKafkaManualCommit;
import org.apache.camel.component.kafka.consumer.KafkaManualCommit;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last step of the batched consuming route: commits, in one asynchronous request, each partition of the poll
 * up to its first record that was neither queued (nor found queued before) nor dead-lettered. Such a record is one
 * the queue refused (its recipient's queue is full): the step then fails the exchange, so that the consumer reads
 * again from the committed offsets and retries that record, and the records after it, which the queue drops as
 * duplicates if they were queued ({@code <topic>-<partition>@<offset>}). An acked message is never skipped: the
 * queue refuses the rest of a stream after a refusal within a call ({@code MessageQueue#enqueue}).
 *
 * <p>A crash before the commit only makes the poll come again, and the queue drops what it holds already.
 */
public final class BatchCommit implements Processor {
    private static final Logger LOG = LoggerFactory.getLogger(BatchCommit.class);

    @Override
    public void process(Exchange exchange) {
        List<Exchange> records = recordsOf(exchange);
        Map<TopicPartition, DefaultKafkaManualCommit> committable = new LinkedHashMap<>();
        Map<TopicPartition, Message> held = new HashMap<>();
        for (Exchange record : records) {
            Message message = record.getMessage();
            DefaultKafkaManualCommit commit = commitOf(message);
            TopicPartition partition = commit.getPartition();
            if (held.containsKey(partition)) {
                continue;
            }
            if (done(message)) {
                committable.put(partition, commit);
            } else {
                held.put(partition, message);
            }
        }
        if (!committable.isEmpty()) {
            Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
            Consumer<?, ?> consumer = null;
            for (Map.Entry<TopicPartition, DefaultKafkaManualCommit> entry : committable.entrySet()) {
                DefaultKafkaManualCommit commit = entry.getValue();
                // Also tells Camel's commit manager, which commits what it was told when partitions are revoked.
                commit.commit();
                offsets.put(entry.getKey(), new OffsetAndMetadata(commit.getRecordOffset() + 1));
                consumer = commit.getConsumer();
            }
            // The consumer's own thread waits in this poll's processing meanwhile: the call is not concurrent.
            consumer.commitAsync(offsets, BatchCommit::committed);
        }
        if (!held.isEmpty()) {
            Message first = held.values().iterator().next();
            throw new SluiceException(
                    ErrorName.RATE_LIMITED,
                    "kafka: " + held.size() + " partition(s) held at a record the queue refused ("
                            + first.getHeader(SluiceHeaders.DELIVER_OUTCOME) + ", partition "
                            + first.getHeader(KafkaConstants.PARTITION) + " offset "
                            + first.getHeader(KafkaConstants.OFFSET) + "): it is read again and retried");
        }
    }

    /**
     * A failed commit (the group's coordinator moved, the broker restarts) costs nothing lasting: the next poll's
     * commit covers these offsets, and records read again meanwhile are dropped by the queue as duplicates. So it
     * is no error (Kafka's own callback would log one).
     */
    private static void committed(Map<TopicPartition, OffsetAndMetadata> offsets, Exception failure) {
        if (failure != null) {
            LOG.atDebug()
                    .addKeyValue("event", "kafka.commit_failed")
                    .addKeyValue("partitions", offsets.size())
                    .addKeyValue("error", failure.getClass().getSimpleName())
                    .log("an offset commit failed; the next poll's commit covers it");
        }
    }

    /** Queued, found queued before, or dead-lettered: the record needs nothing more. */
    private static boolean done(Message message) {
        if (message.getHeader(RecordHeaders.DEAD_LETTER_REASON) != null) {
            return true;
        }
        String outcome = message.getHeader(SluiceHeaders.DELIVER_OUTCOME, String.class);
        return "queued".equals(outcome) || "duplicate".equals(outcome);
    }

    private static List<Exchange> recordsOf(Exchange exchange) {
        @SuppressWarnings("unchecked")
        List<Exchange> records = exchange.getProperty(InboundBatch.RECORDS, List.class);
        if (records == null) {
            throw new IllegalStateException("the exchange has no property " + InboundBatch.RECORDS
                    + " (expected: the sluiceInboundBatch step first)");
        }
        return records;
    }

    private static DefaultKafkaManualCommit commitOf(Message message) {
        KafkaManualCommit commit = message.getHeader(KafkaConstants.MANUAL_COMMIT, KafkaManualCommit.class);
        if (!(commit instanceof DefaultKafkaManualCommit known)) {
            throw new IllegalStateException("a record has no " + KafkaConstants.MANUAL_COMMIT
                    + " header (expected: a kafka: consumer with allowManualCommit=true and autoCommitEnable=false)");
        }
        return known;
    }
}

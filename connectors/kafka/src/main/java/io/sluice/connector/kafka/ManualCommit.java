package io.sluice.connector.kafka;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.KafkaManualCommit;

/**
 * Commits the offset of the record the exchange came from. The last step of the consuming route, so that an
 * offset is committed only once the record was queued (or dead-lettered); a crash before it makes the record
 * come again, and its {@code SluiceMessageId} keeps it from being queued twice. With the asynchronous commit
 * factory (routes/kafka.yaml) the commit is sent without waiting for the broker.
 */
public final class ManualCommit implements Processor {

    @Override
    public void process(Exchange exchange) {
        KafkaManualCommit commit =
                exchange.getMessage().getHeader(KafkaConstants.MANUAL_COMMIT, KafkaManualCommit.class);
        if (commit == null) {
            throw new IllegalStateException("the exchange has no " + KafkaConstants.MANUAL_COMMIT
                    + " header (expected: a kafka: consumer with allowManualCommit=true and autoCommitEnable=false)");
        }
        commit.commit();
    }
}

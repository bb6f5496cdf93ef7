package io.sluice.testing.kafka;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real Kafka broker for integration tests: a one-node KRaft broker on 127.0.0.1, shared by every test class
 * of the JVM.
 *
 * <p>When {@code SLUICE_KAFKA_BROKERS} (a system property or an environment variable) names bootstrap servers
 * that accept a connection, the tests use that broker. Otherwise the first test that needs a broker starts one
 * with {@code examples/kafka/kafka.sh}, the script the README and CI use, on a free port with a temporary data
 * directory; it is stopped, and its data deleted, when the JVM ends (or, if the JVM is killed, by the script's
 * owner watcher). The first start on a fresh machine also fetches the broker's jars with Maven.
 *
 * <pre>{@code
 * class RoundTripIT {
 *     @RegisterExtension
 *     static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();
 *
 *     @Test
 *     void recordSurvivesBrokerRestart() {
 *         // produce to KAFKA.bootstrapServers() ...
 *         KAFKA.stop();
 *         KAFKA.start();
 *         // ... and consume it back
 *     }
 * }
 * }</pre>
 *
 * <p>A test that {@linkplain #stop() stops} the broker and fails before starting it again leaves no trace: the
 * broker is started again before the next test.
 */
public final class KafkaBrokerExtension implements BeforeAllCallback, BeforeEachCallback {

    /** An extension for the JVM's shared broker. */
    public KafkaBrokerExtension() {}

    /** The bootstrap servers of the broker, {@code host:port}; the same across {@link #stop()} and {@link #start()}. */
    public String bootstrapServers() {
        return KafkaBroker.get().bootstrapServers();
    }

    /**
     * Stops the broker cleanly, as an operator would; what it stored stays for {@link #start()}. Aborts the
     * calling test (reported as skipped) when the broker was not started by this JVM but named by
     * {@code SLUICE_KAFKA_BROKERS}, which this extension does not stop.
     */
    public void stop() {
        ownBroker().stop();
    }

    /** Starts the broker again on the same port with what it stored; does nothing when it runs. */
    public void start() {
        ownBroker().start();
    }

    /** Freezes the broker (SIGSTOP): it keeps its connections and answers nothing until {@link #resume()}. */
    public void pause() {
        ownBroker().signal("STOP");
    }

    /** Thaws a paused broker (SIGCONT). */
    public void resume() {
        ownBroker().signal("CONT");
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        KafkaBroker.get();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        KafkaBroker broker = KafkaBroker.get();
        if (broker.isOwn() && !broker.isRunning()) {
            broker.start();
        }
    }

    private static KafkaBroker ownBroker() {
        KafkaBroker broker = KafkaBroker.get();
        if (!broker.isOwn()) {
            Assumptions.abort("the broker at " + broker.bootstrapServers() + " comes from "
                    + KafkaBroker.BROKERS_VARIABLE + "; a test that stops the broker needs one of its own"
                    + " (unset " + KafkaBroker.BROKERS_VARIABLE + ")");
        }
        return broker;
    }
}

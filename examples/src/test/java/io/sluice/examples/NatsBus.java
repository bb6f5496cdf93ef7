package io.sluice.examples;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.api.MessageInfo;
import io.nats.client.api.PublishAck;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A JetStream stream, subject and durable consumer of one test class's own on the local NATS server
 * (127.0.0.1:4222); the stream is deleted after the class. Register it before the gateway ({@code @Order}).
 */
final class NatsBus implements BeforeAllCallback, AfterAllCallback {
    static final String SERVERS = "nats://127.0.0.1:4222";

    private final String subject;
    private final String stream;
    private final String durable;
    private Connection connection;

    private NatsBus(String name) {
        String suffix = Examples.uniqueSuffix();
        this.subject = "sluice.it." + name + "." + suffix;
        this.stream =
                ("SLUICE_IT_" + name + "_" + suffix).toUpperCase(Locale.ROOT).replace('-', '_');
        this.durable = "sluice-it-" + suffix;
    }

    /** A bus whose subject starts with {@code sluice.it.<name>}. */
    static NatsBus named(String name) {
        return new NatsBus(name);
    }

    /** The settings that point a route file's {@code <prefix>.servers}, {@code .subject}, {@code .stream} and
     * {@code .durable} here. */
    Map<String, String> settings(String prefix, Map<String, String> others) {
        Map<String, String> all = new HashMap<>(others);
        all.put(prefix + ".servers", SERVERS);
        all.put(prefix + ".subject", subject);
        all.put(prefix + ".stream", stream);
        all.put(prefix + ".durable", durable);
        return all;
    }

    String subject() {
        return subject;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        connection = Nats.connect(SERVERS);
    }

    private JetStreamManagement management() throws Exception {
        return connection.jetStreamManagement();
    }

    /** Whether the stream exists (the gateway's consumer route creates it shortly after start-up). */
    boolean streamExists() throws Exception {
        try {
            management().getStreamInfo(stream);
            return true;
        } catch (JetStreamApiException e) {
            if (e.getErrorCode() == 404) {
                return false;
            }
            throw e;
        }
    }

    /** Every message the stream holds, oldest first. */
    List<MessageInfo> storedMessages() throws Exception {
        JetStreamManagement jsm = management();
        long first = jsm.getStreamInfo(stream).getStreamState().getFirstSequence();
        long last = jsm.getStreamInfo(stream).getStreamState().getLastSequence();
        List<MessageInfo> messages = new ArrayList<>();
        for (long seq = first; seq <= last && seq > 0; seq++) {
            messages.add(jsm.getMessage(stream, seq));
        }
        return messages;
    }

    /** Publishes to the subject as another application would, with these headers, and returns the ack. */
    PublishAck publish(Map<String, String> headers, byte[] body) throws Exception {
        Headers natsHeaders = new Headers();
        headers.forEach(natsHeaders::add);
        return connection
                .jetStream()
                .publish(NatsMessage.builder()
                        .subject(subject)
                        .headers(natsHeaders)
                        .data(body)
                        .build());
    }

    /**
     * Shortens how long JetStream itself drops a message whose Nats-Msg-Id it has seen (2 minutes by default),
     * so that a test can store a message twice, as a redelivery would hand it to the gateway twice.
     */
    void duplicateWindow(Duration window) throws Exception {
        JetStreamManagement jsm = management();
        StreamConfiguration config = jsm.getStreamInfo(stream).getConfiguration();
        jsm.updateStream(
                StreamConfiguration.builder(config).duplicateWindow(window).build());
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        try {
            if (streamExists()) {
                management().deleteStream(stream);
            }
        } finally {
            connection.close();
        }
    }
}

package io.sluice.examples;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A topic prefix and a persistent-session client id of one test class's own on the local MQTT broker
 * (127.0.0.1:1883); the gateway's session is cleared after the class. Register it before the gateway
 * ({@code @Order}).
 */
final class MqttBus implements AfterAllCallback {
    static final String URL = "tcp://127.0.0.1:1883";

    private final String topicPrefix;
    private final String clientId;

    private MqttBus(String name) {
        String suffix = Examples.uniqueSuffix();
        this.topicPrefix = "sluice-it/" + name + "/" + suffix;
        this.clientId = "sluice-it-" + name + "-" + suffix;
    }

    /** A bus whose topics start with {@code sluice-it/<name>/}. */
    static MqttBus named(String name) {
        return new MqttBus(name);
    }

    /** The settings that point a route file's {@code <prefix>.url}, {@code .topic-prefix} and {@code .client-id}
     * here. */
    Map<String, String> settings(String prefix, Map<String, String> others) {
        Map<String, String> all = new HashMap<>(others);
        all.put(prefix + ".url", URL);
        all.put(prefix + ".topic-prefix", topicPrefix);
        all.put(prefix + ".client-id", clientId);
        return all;
    }

    String topicPrefix() {
        return topicPrefix;
    }

    private static MqttClient connect(String clientId, boolean cleanStart) throws Exception {
        MqttClient client = new MqttClient(URL, clientId, new MemoryPersistence());
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(cleanStart);
        options.setSessionExpiryInterval(0L);
        client.connect(options);
        return client;
    }

    /** A subscriber of its own to every topic under the prefix: it sees every message published there. */
    Tap tap() throws Exception {
        return new Tap(connect("sluice-it-tap-" + Examples.uniqueSuffix(), true), topicPrefix + "/#");
    }

    /** Publishes with QoS 1 as another application would. */
    void publish(String topic, byte[] payload) throws Exception {
        MqttClient client = connect("sluice-it-pub-" + Examples.uniqueSuffix(), true);
        try {
            MqttMessage message = new MqttMessage(payload);
            message.setQos(1);
            client.publish(topic, message);
        } finally {
            client.disconnect();
            client.close();
        }
    }

    /** Ends the gateway's persistent session, so the broker forgets its subscription and queued messages. */
    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        MqttClient client = connect(clientId, true);
        client.disconnect();
        client.close();
    }

    /** One message as a subscriber saw it. */
    record Received(String topic, byte[] payload, int qos) {}

    /** A subscription that collects what arrives. */
    static final class Tap implements AutoCloseable {
        private final MqttClient client;
        private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();

        Tap(MqttClient client, String filter) throws Exception {
            this.client = client;
            // Not subscribe(filter, qos, listener): in Paho 1.2.5 that overload calls itself forever.
            client.setCallback(new MqttCallback() {
                @Override
                public void messageArrived(String topic, MqttMessage message) {
                    received.add(new Received(topic, message.getPayload(), message.getQos()));
                }

                @Override
                public void disconnected(MqttDisconnectResponse response) {}

                @Override
                public void mqttErrorOccurred(MqttException exception) {}

                @Override
                public void deliveryComplete(IMqttToken token) {}

                @Override
                public void connectComplete(boolean reconnect, String serverURI) {}

                @Override
                public void authPacketArrived(int reasonCode, MqttProperties properties) {}
            });
            client.subscribe(filter, 1);
        }

        /** The next {@code count} messages, each within the timeout. */
        List<Received> take(int count, Duration timeout) throws InterruptedException {
            List<Received> taken = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                Received next = received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
                if (next == null) {
                    throw new AssertionError("only " + taken.size() + " of " + count + " messages arrived");
                }
                taken.add(next);
            }
            return taken;
        }

        @Override
        public void close() throws Exception {
            client.disconnect();
            client.close();
        }
    }
}

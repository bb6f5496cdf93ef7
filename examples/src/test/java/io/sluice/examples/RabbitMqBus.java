package io.sluice.examples;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.Delivery;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * An exchange and a queue of one test class's own on the local RabbitMQ (127.0.0.1:5672), so that test runs
 * on the shared broker never see each other's messages; deleted after the class. Register it before the
 * gateway ({@code @Order}) so that it is cleaned up after the gateway stopped.
 *
 * <pre>{@code
 * @RegisterExtension @Order(0) static final RabbitMqBus RABBIT = RabbitMqBus.named("sealed");
 * @RegisterExtension @Order(1) static final GatewayExtension GATEWAY = GatewayExtension.withSettings(
 *         RABBIT.settings("sluice.rabbitmq", Map.of("sluice.routes", ...)));
 * }</pre>
 */
final class RabbitMqBus implements BeforeAllCallback, AfterAllCallback {
    static final String URL = "amqp://guest:guest@127.0.0.1:5672";

    private final String exchange;
    private final String queue;
    private Connection connection;

    private RabbitMqBus(String name) {
        String suffix = Examples.uniqueSuffix();
        this.exchange = "sluice.it." + name + "." + suffix;
        this.queue = "sluice.it." + name + "." + suffix + ".q";
    }

    /** A bus whose exchange and queue names start with {@code sluice.it.<name>}. */
    static RabbitMqBus named(String name) {
        return new RabbitMqBus(name);
    }

    /** The settings that point a route file's {@code <prefix>.url}, {@code .exchange} and {@code .queue} here. */
    Map<String, String> settings(String prefix, Map<String, String> others) {
        Map<String, String> all = new java.util.HashMap<>(others);
        all.put(prefix + ".url", URL);
        all.put(prefix + ".exchange", exchange);
        all.put(prefix + ".queue", queue);
        return all;
    }

    String exchange() {
        return exchange;
    }

    String queue() {
        return queue;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setUri(URL);
        connection = factory.newConnection("sluice-example-test");
    }

    /** A queue of the test's own bound to the exchange with {@code #}: it sees every message published there. */
    Consumer tap() throws Exception {
        Channel channel = connection.createChannel();
        String tap = channel.queueDeclare("", false, true, true, null).getQueue();
        channel.queueBind(tap, exchange, "#");
        return new Consumer(channel, tap);
    }

    /** Takes the messages of a queue, the gateway's own for example. */
    Consumer consume(String queueName) throws Exception {
        return new Consumer(connection.createChannel(), queueName);
    }

    /** Publishes as another application would, straight to the exchange. */
    void publish(String routingKey, String messageId, byte[] body) throws Exception {
        try (Channel channel = connection.createChannel()) {
            channel.confirmSelect();
            channel.basicPublish(
                    exchange,
                    routingKey,
                    new AMQP.BasicProperties.Builder()
                            .messageId(messageId)
                            .deliveryMode(2)
                            .build(),
                    body);
            channel.waitForConfirmsOrDie(10_000);
        }
    }

    /** How many messages wait in a queue. */
    long messageCount(String queueName) throws Exception {
        try (Channel channel = connection.createChannel()) {
            return channel.messageCount(queueName);
        }
    }

    /** Deletes an exchange, as an operator's mistake or an outage would. */
    void deleteExchange(String name) throws Exception {
        try (Channel channel = connection.createChannel()) {
            channel.exchangeDelete(name);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        try (Channel channel = connection.createChannel()) {
            channel.queueDelete(queue);
            channel.exchangeDelete(exchange);
        } finally {
            connection.close();
        }
    }

    /** Messages read from one queue, acked as they arrive. */
    static final class Consumer implements AutoCloseable {
        private final Channel channel;
        private final BlockingQueue<Delivery> received = new LinkedBlockingQueue<>();

        Consumer(Channel channel, String queue) throws Exception {
            this.channel = channel;
            channel.basicConsume(queue, true, (tag, delivery) -> received.add(delivery), tag -> {});
        }

        /** The next {@code count} messages, each within the timeout. */
        List<Delivery> take(int count, Duration timeout) throws InterruptedException {
            List<Delivery> taken = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                Delivery next = received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
                if (next == null) {
                    throw new AssertionError("only " + taken.size() + " of " + count + " messages arrived");
                }
                taken.add(next);
            }
            return taken;
        }

        @Override
        public void close() throws Exception {
            channel.close();
        }
    }
}

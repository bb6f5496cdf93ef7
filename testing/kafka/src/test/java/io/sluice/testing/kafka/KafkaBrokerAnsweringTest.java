package io.sluice.testing.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class KafkaBrokerAnsweringTest {

    @Test
    void usesConfiguredBrokersWhenOneOfThemAcceptsConnections() throws IOException {
        int closed = closedPort();
        try (ServerSocket open = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            String configured = "127.0.0.1:" + closed + ", 127.0.0.1:" + open.getLocalPort();

            assertThat(KafkaBroker.answering(configured)).contains(configured);
        }
    }

    @Test
    void startsItsOwnBrokerWhenNoConfiguredBrokerAnswers() throws IOException {
        assertThat(KafkaBroker.answering("127.0.0.1:" + closedPort())).isEmpty();
    }

    @Test
    void startsItsOwnBrokerWhenNothingIsConfigured() {
        assertThat(KafkaBroker.answering(null)).isEmpty();
        assertThat(KafkaBroker.answering("  ")).isEmpty();
        assertThat(KafkaBroker.answering("no-port-here")).isEmpty();
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }
}

package io.sluice.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.client.Identity;
import io.sluice.client.Inbound;
import io.sluice.client.SluiceClient;
import io.sluice.gateway.testing.Scrape;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code examples/cluster/cluster.sh} as its README runs it, on free ports in a temporary state directory: a
 * message sent through HAProxy reaches a recipient connected through HAProxy to another gateway, and {@code stop}
 * leaves nothing running.
 */
class ClusterExampleIT {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path state;

    @Test
    void aMessageThroughHaproxyReachesItsRecipientOnAnotherGatewayAndStopLeavesNothingRunning() throws Exception {
        ClusterScript cluster = ClusterScript.start(state, Map.of());
        Map<String, Long> pids;
        try {
            pids = cluster.pids();
            assertThat(pids)
                    .as("six Redis nodes, three gateways, HAProxy, the owner's watcher")
                    .containsKeys(
                            "redis-0",
                            "redis-1",
                            "redis-2",
                            "redis-3",
                            "redis-4",
                            "redis-5",
                            "gateway-1",
                            "gateway-2",
                            "gateway-3",
                            "haproxy",
                            "owner-watch");
            ClusterScript.Result status = cluster.run("status");
            assertThat(status.exitCode()).as(status.output()).isZero();
            assertThat(status.output()).contains("10 of 10 running", "cluster_state:ok", "gateways up: 3");

            Identity bob = Identity.generate();
            try (SluiceClient recipient = SluiceClient.connect(cluster.uri()).get(WAIT.toSeconds(), TimeUnit.SECONDS);
                    SluiceClient sender = SluiceClient.connect(cluster.uri()).get(WAIT.toSeconds(), TimeUnit.SECONDS)) {
                recipient.login(bob, 1).get(WAIT.toSeconds(), TimeUnit.SECONDS);
                // leastconn: the second client goes to a gateway without a connection, not the recipient's.
                await().atMost(WAIT)
                        .untilAsserted(() -> assertThat(gatewaysWithConnections(cluster))
                                .as("the recipient and the sender on two gateways")
                                .hasSize(2));

                sender.send(bob.userId(), 1, "through-haproxy".getBytes(StandardCharsets.UTF_8))
                        .get(WAIT.toSeconds(), TimeUnit.SECONDS);
                Inbound message = recipient.nextInbound(WAIT);
                assertThat(message)
                        .as("the message, on the recipient's gateway")
                        .isNotNull();
                assertThat(new String(message.body(), StandardCharsets.UTF_8)).isEqualTo("through-haproxy");
                assertThat(message.ack()).isTrue();
            }
        } finally {
            cluster.close();
        }

        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(pids)
                        .as("processes of the cluster still running after stop")
                        .allSatisfy(
                                (name, pid) -> assertThat(running(pid)).as(name).isFalse()));
        List<Integer> ports = new ArrayList<>(List.of(cluster.frontPort()));
        for (int i = 1; i <= 3; i++) {
            ports.add(cluster.gatewayPort(i));
            ports.add(cluster.adminUri(i).getPort());
        }
        for (int i = 0; i < 6; i++) {
            ports.add(cluster.redisPort(i));
        }
        assertThat(ports).as("ports still answering after stop").noneMatch(ClusterExampleIT::answers);
        ClusterScript.Result status = cluster.run("status");
        assertThat(status.exitCode()).as(status.output()).isEqualTo(3);
        assertThat(status.output()).contains("0 of 10 running");
    }

    /** The gateways (1 to 3) that have at least one open client connection. */
    private static List<Integer> gatewaysWithConnections(ClusterScript cluster) throws Exception {
        List<Integer> busy = new ArrayList<>();
        for (int n = 1; n <= 3; n++) {
            double open = Scrape.of(cluster.adminUri(n).resolve("/metrics")).startingWith("sluice_connections").stream()
                    .filter(sample -> sample.name().equals("sluice_connections"))
                    .mapToDouble(Scrape.Sample::value)
                    .sum();
            if (open > 0) {
                busy.add(n);
            }
        }
        return busy;
    }

    /** Alive and not a zombie (a process that exited but that its new parent, init, has not reaped yet). */
    private static boolean running(long pid) {
        if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            try {
                String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
                return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
            } catch (IOException e) {
                return false;
            }
        }
        return false;
    }

    private static boolean answers(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}

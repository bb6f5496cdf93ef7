package io.sluice.connector.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.spi.Address;
import io.sluice.spi.Enqueue;
import io.sluice.spi.Enqueued;
import io.sluice.spi.ErrorName;
import io.sluice.spi.QueueQuota;
import io.sluice.spi.SluiceException;
import io.sluice.testing.redis.RedisClusterServers;
import io.sluice.testing.redis.RedisServer;
import io.sluice.testkit.TestKeys;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** sluice.redis.wait-replicas: the ack waits for replicas, on the shard that took the writes. */
class RedisQueueWaitReplicasIT {

    @Test
    void onAClusterWithAReplicaPerMasterEveryAckWaitsForOneReplica() throws Exception {
        try (RedisClusterServers cluster = RedisClusterServers.start(3, 1)) {
            Awaitility.await()
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> cluster.masters().size() == 3
                            && cluster.masters().stream()
                                    .allMatch(master -> master.command("INFO", "replication")
                                            .contains("state=online")));
            try (RedisMessageQueue queue =
                    RedisMessageQueue.open(TestRedis.withWaitReplicas(TestRedis.cluster(cluster.uri()), 1))) {
                List<Enqueue> batch = new ArrayList<>();
                List<Address> recipients = new ArrayList<>();
                for (int i = 0; i < 30; i++) {
                    Address to = TestKeys.address(1);
                    recipients.add(to);
                    batch.add(new Enqueue(to, TestKeys.bytes("m" + i)));
                }
                List<Enqueued> results = queue.enqueue(batch, QueueQuota.NONE)
                        .toCompletableFuture()
                        .get(20, TimeUnit.SECONDS);
                assertThat(results).extracting(Enqueued::outcome).containsOnly(Enqueued.Outcome.QUEUED);
                for (Address to : recipients) {
                    assertThat(queue.read(to, 0, 10).toCompletableFuture().get(10, TimeUnit.SECONDS))
                            .hasSize(1);
                }

                // Replicas still connected but answering nothing: a WAIT on the connection that took the writes
                // times out, where one on another connection (no writes of its own) would count them at once.
                List<RedisServer> replicas = new ArrayList<>(cluster.nodes());
                replicas.removeAll(cluster.masters());
                replicas.forEach(RedisServer::suspend);
                try {
                    assertThatThrownBy(() -> queue.enqueue(batch, QueueQuota.NONE)
                                    .toCompletableFuture()
                                    .get(20, TimeUnit.SECONDS))
                            .isInstanceOf(ExecutionException.class)
                            .cause()
                            .isInstanceOfSatisfying(
                                    SluiceException.class,
                                    e -> assertThat(e.errorName()).isEqualTo(ErrorName.UNAVAILABLE))
                            .hasMessageContaining("0 of 1 replicas acknowledged");
                } finally {
                    replicas.forEach(RedisServer::resume);
                }
            }
        }
    }

    @Test
    void onAServerWithoutReplicasTheEnqueueAnswersUnavailable() throws Exception {
        try (RedisServer server = RedisServer.start();
                RedisMessageQueue queue =
                        RedisMessageQueue.open(TestRedis.withWaitReplicas(TestRedis.standalone(server.uri()), 1))) {
            assertThatThrownBy(() -> queue.enqueue(
                                    new Enqueue(TestKeys.address(1), TestKeys.bytes("unreplicated")), QueueQuota.NONE)
                            .toCompletableFuture()
                            .get(20, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause()
                    .isInstanceOfSatisfying(
                            SluiceException.class,
                            e -> assertThat(e.errorName()).isEqualTo(ErrorName.UNAVAILABLE));
        }
    }
}

package io.sluice.routes;

import static io.sluice.gateway.testing.Keys.bytes;
import static io.sluice.gateway.testing.Keys.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.client.Identity;
import io.sluice.client.Inbound;
import io.sluice.client.SluiceClient;
import io.sluice.client.SluiceError;
import io.sluice.gateway.Gateway;
import io.sluice.testing.redis.RedisServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A gateway with everything on Redis (routes/redis.yaml, the Redis queue and limits), its Redis killed with -9 and
 * started again: meanwhile every request answers {@code unavailable} within the request timeout and {@code /readyz}
 * answers 503; afterwards the same connections are served again and a message queued before the outage arrives.
 */
class RedisOutageIT {
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(3);

    @TempDir
    Path dataDir;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void requestsAnswerUnavailableWithinTheTimeoutWhileRedisIsDownAndServiceComesBack() throws Exception {
        try (RedisServer redis = RedisServer.startWithAof("always");
                Gateway gateway = RouteFixtures.gateway(
                        dataDir,
                        "redis.yaml",
                        Map.of(
                                "sluice.queue.type", "redis",
                                "sluice.redis.uri", redis.uri(),
                                "sluice.limits.store", "redis",
                                "sluice.request-timeout", REQUEST_TIMEOUT.toMillis() + "ms",
                                "sluice.prekeys.check-interval", "1h"))) {
            Identity bob = Identity.generate();
            SluiceClient sender = SluiceClient.connect(gateway.uri()).get(10, TimeUnit.SECONDS);
            sender.send(bob.userId(), 1, bytes("before")).get(10, TimeUnit.SECONDS);
            assertThat(readyz(gateway)).isEqualTo(200);

            redis.kill9();

            long start = System.nanoTime();
            assertThat(errorName(
                            () -> sender.send(bob.userId(), 1, bytes("during")).get(30, TimeUnit.SECONDS)))
                    .isEqualTo("unavailable");
            assertThat(errorName(
                            () -> sender.requestPreKeys(bob.userId(), Set.of()).get(30, TimeUnit.SECONDS)))
                    .isEqualTo("unavailable");
            assertThat(Duration.ofNanos(System.nanoTime() - start))
                    .as("both answered within the request timeout")
                    .isLessThan(REQUEST_TIMEOUT.multipliedBy(2));
            await().atMost(Duration.ofSeconds(20)).until(() -> readyz(gateway) == 503);

            redis.restart();

            await().atMost(Duration.ofSeconds(30)).until(() -> readyz(gateway) == 200);
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
                sender.send(bob.userId(), 1, bytes("after")).get(5, TimeUnit.SECONDS);
                return true;
            });
            try (SluiceClient bobDevice = SluiceClient.connect(gateway.uri()).get(10, TimeUnit.SECONDS)) {
                bobDevice.login(bob, 1).get(10, TimeUnit.SECONDS);
                Inbound first = bobDevice.nextInbound(Duration.ofSeconds(10));
                assertThat(first)
                        .as("the message acked before the outage (AOF always)")
                        .isNotNull();
                assertThat(text(first.body())).isEqualTo("before");
                first.ack();
                Inbound second = bobDevice.nextInbound(Duration.ofSeconds(10));
                assertThat(second).isNotNull();
                assertThat(text(second.body())).isEqualTo("after");
                second.ack();
            }
            sender.close();
        }
    }

    private int readyz(Gateway gateway) throws Exception {
        return http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.adminPort() + "/readyz"))
                                .build(),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    private interface Call {
        void run() throws Exception;
    }

    private static String errorName(Call call) throws Exception {
        try {
            call.run();
            return "ok";
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(SluiceError.class);
            return ((SluiceError) e.getCause()).name();
        }
    }
}

package io.sluice.gateway.e2e;

import static io.sluice.gateway.testing.Keys.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.client.Identity;
import io.sluice.client.SluiceClient;
import io.sluice.client.SluiceError;
import io.sluice.gateway.testing.GatewayExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Each route's failure stays inside its exchange: the request gets an Error, the connection lives on. */
class BackendFailureIT {
    @RegisterExtension
    static final GatewayExtension GATEWAY = GatewayExtension.withSettings(Map.of(
            "sluice.routes", "classpath:failing-routes.yaml",
            "sluice.request-timeout", "500ms",
            "sluice.prekeys.check-interval", "1h"));

    private static SluiceError error(CompletableFuture<?> request) {
        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> request.get(10, TimeUnit.SECONDS));
        assertThat(thrown).hasCauseInstanceOf(SluiceError.class);
        return (SluiceError) thrown.getCause();
    }

    @Test
    void backendDownAnswersUnavailableAndConnectionStaysUsable() throws Exception {
        Identity bob = Identity.generate();
        SluiceClient device = GATEWAY.login(bob, 1);

        SluiceError error = error(device.register(1, bytes("s"), List.of()));

        assertThat(error.name()).isEqualTo("unavailable");
        assertThat(error.getMessage()).contains("ConnectException");
        assertThat(error(device.register(1, bytes("s"), List.of())).name()).isEqualTo("unavailable");
        assertThat(device.isOpen()).isTrue();
    }

    @Test
    void blockingStalledBackendAnswersUnavailableWithinTheRequestTimeout() throws Exception {
        SluiceClient anon = GATEWAY.connect();
        long start = System.nanoTime();

        CompletableFuture<?> stalled = anon.requestPreKeys(Identity.generate().userId(), Set.of());
        CompletableFuture<?> queuedBehind =
                anon.requestPreKeys(Identity.generate().userId(), Set.of());
        // While this connection's route blocks a thread, other connections are served.
        GATEWAY.connect()
                .send(Identity.generate().userId(), 1, bytes("unaffected"))
                .get(2, TimeUnit.SECONDS);

        assertThat(error(stalled).name()).isEqualTo("unavailable");
        assertThat(error(queuedBehind).name()).isEqualTo("unavailable");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void timedOutRequestGetsExactlyOneAnswer() throws Exception {
        SluiceClient anon = GATEWAY.connect();
        assertThat(error(anon.requestPreKeys(Identity.generate().userId(), Set.of()))
                        .name())
                .isEqualTo("unavailable");
        // The route finishes after 5 s; its late success must not reach the client as a second answer.
        assertThat(anon.nextUnsolicited(Duration.ofSeconds(6))).isNull();
        anon.send(Identity.generate().userId(), 1, bytes("the connection still works"))
                .get(10, TimeUnit.SECONDS);
    }

    @Test
    void routeCanNameTheErrorInAHeader() throws Exception {
        SluiceClient device = GATEWAY.login(Identity.generate(), 1);
        SluiceError error = error(device.unregister());
        assertThat(error.name()).isEqualTo("rate_limited");
        assertThat(error.getMessage()).contains("slow down");
    }

    @Test
    void failureForOneRecipientDoesNotTouchOthers() throws Exception {
        Identity bob = Identity.generate();
        SluiceClient bobDevice = GATEWAY.login(bob, 1);
        SluiceClient anon = GATEWAY.connect();

        assertThat(error(anon.send(bob.userId(), 666, bytes("lost"))).name()).isEqualTo("unavailable");
        anon.send(bob.userId(), 1, bytes("arrives")).get(10, TimeUnit.SECONDS);

        assertThat(bobDevice.nextInbound(Duration.ofSeconds(10)).body())
                .asString()
                .isEqualTo("arrives");
    }

    @Test
    void routeReplyOfTheWrongTypeIsNotMistakenForSuccess() {
        assertThatThrownBy(() -> GATEWAY.gateway()
                        .backend()
                        .preKeyCount(
                                new io.sluice.gateway.protocol.Backend.Caller("test", 0),
                                new io.sluice.spi.Address(
                                        io.sluice.spi.UserId.of(
                                                Identity.generate().userId()),
                                        1))
                        .toCompletableFuture()
                        .get(10, TimeUnit.SECONDS))
                .hasCauseInstanceOf(io.sluice.spi.SluiceException.class)
                .hasMessageContaining("not a Integer");
    }
}

package io.sluice.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ClientOptionsTest {
    @Test
    void defaultsAreOneConnectionWithoutReconnect() {
        ClientOptions defaults = ClientOptions.defaults();

        assertThat(defaults.reconnect()).isNull();
        assertThat(defaults.endpoints()).isEmpty();
        assertThat(defaults.requestTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(defaults.maxFrameBytes()).isEqualTo(1024 * 1024);
        assertThat(defaults.idleTimeout()).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void aReconnectingClientTakesASilentConnectionForDeadAfterThreeServerPingIntervals() {
        ClientOptions options =
                ClientOptions.builder().reconnect(Backoff.defaults()).build();

        assertThat(options.idleTimeout()).isEqualTo(Duration.ofSeconds(90));
        assertThat(options.toBuilder()
                        .idleTimeout(Duration.ofSeconds(5))
                        .build()
                        .idleTimeout())
                .isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void withersKeepEverythingElse() {
        URI endpoint = URI.create("ws://127.0.0.1:1/api");
        ClientOptions options = ClientOptions.builder()
                .endpoints(endpoint)
                .reconnect(Backoff.defaults())
                .build()
                .withRequestTimeout(Duration.ofSeconds(3));

        assertThat(options.endpoints()).containsExactly(endpoint);
        assertThat(options.reconnect()).isEqualTo(Backoff.defaults());
        assertThat(options.requestTimeout()).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void refusesBadValuesNamingTheSetting() {
        assertThatThrownBy(() -> ClientOptions.builder().endpoints(URI.create("http://example/api")))
                .hasMessage("endpoints: 'http://example/api' (expected: ws:// or wss://)");
        assertThatThrownBy(() -> ClientOptions.builder().requestTimeout(Duration.ZERO))
                .hasMessage("requestTimeout: 'PT0S' (expected: > 0)");
        assertThatThrownBy(() -> ClientOptions.builder().maxFrameBytes(0))
                .hasMessage("maxFrameBytes: 0 (expected: > 0)");
        assertThatThrownBy(() -> SluiceClient.connect(ClientOptions.defaults()))
                .hasMessage("endpoints: [] (expected: at least one ws:// or wss:// URI)");
    }
}

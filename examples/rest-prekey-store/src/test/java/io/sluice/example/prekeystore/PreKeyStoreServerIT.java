package io.sluice.example.prekeystore;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.connector.jdbc.JdbcPreKeyStore;
import io.sluice.spi.UserId;
import io.sluice.testkit.PostgresSchemaExtension;
import io.sluice.testkit.TestKeys;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The reference server against the contract as written in {@code connectors/rest/openapi.yaml}: requests and
 * answers are JSON literals here, not the connector's converters, so both sides are checked against the document.
 */
class PreKeyStoreServerIT {
    @RegisterExtension
    static final PostgresSchemaExtension POSTGRES = new PostgresSchemaExtension();

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JdbcPreKeyStore store;
    private static PreKeyStoreServer server;
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @BeforeAll
    static void start() {
        store = JdbcPreKeyStore.builder()
                .url(POSTGRES.url())
                .user(POSTGRES.user())
                .schema(POSTGRES.schema())
                .poolSize(4)
                .build();
        server = PreKeyStoreServer.start(
                store, new InetSocketAddress("127.0.0.1", 0), PreKeyStoreServer.Dialect.CONTRACT);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (store != null) {
            store.close();
        }
    }

    private static HttpResponse<String> call(String method, String path, String json) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.uri() + path))
                .timeout(Duration.ofSeconds(5))
                .method(
                        method,
                        json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void registerClaimAndCountSpeakTheDocumentedJson() throws Exception {
        UserId user = TestKeys.userId();
        // "c2lnbmVk" = "signed", "azE=" = "k1", "azI=" = "k2"
        HttpResponse<String> registered = call(
                "POST",
                "/v1/users/" + user + "/devices/4294967295",
                "{\"registrationId\": 4000000000, \"signedPreKey\": \"c2lnbmVk\", \"oneTimePreKeys\": [\"azE=\", \"azI=\"]}");
        assertThat(registered.statusCode()).isEqualTo(204);

        HttpResponse<String> claimed = call("POST", "/v1/users/" + user + "/claim", "{\"knownDeviceIds\": []}");
        assertThat(claimed.statusCode()).isEqualTo(200);
        assertThat(claimed.headers().firstValue("Content-Type")).contains("application/json");
        JsonNode device = JSON.readTree(claimed.body()).path("devices").get(0);
        assertThat(device.path("deviceId").asLong()).isEqualTo(4294967295L);
        assertThat(device.path("registrationId").asLong()).isEqualTo(4000000000L);
        assertThat(device.path("signedPreKey").asText()).isEqualTo("c2lnbmVk");
        assertThat(device.path("oneTimePreKey").asText()).isEqualTo("azE=");

        HttpResponse<String> count = call("GET", "/v1/users/" + user + "/devices/4294967295/prekey-count", null);
        assertThat(count.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(count.body()).path("count").asInt()).isEqualTo(1);
    }

    @Test
    void knownDevicesAreSkippedAndADeviceWithoutKeysHasNoOneTimePreKeyField() throws Exception {
        UserId user = TestKeys.userId();
        call("POST", "/v1/users/" + user + "/devices/1", "{\"registrationId\": 1, \"signedPreKey\": \"AA==\"}");
        call(
                "POST",
                "/v1/users/" + user + "/devices/2",
                "{\"registrationId\": 2, \"signedPreKey\": \"AQ==\", " + "\"oneTimePreKeys\": [\"Ag==\"]}");

        JsonNode devices = JSON.readTree(call("POST", "/v1/users/" + user + "/claim", "{\"knownDeviceIds\": [2]}")
                        .body())
                .path("devices");

        assertThat(devices.size()).isEqualTo(1);
        assertThat(devices.get(0).path("deviceId").asInt()).isEqualTo(1);
        assertThat(devices.get(0).has("oneTimePreKey")).isFalse();
    }

    @Test
    void claimOfUnknownUserAnswers404UnknownUser() throws Exception {
        HttpResponse<String> claimed = call("POST", "/v1/users/" + TestKeys.userId() + "/claim", "{}");

        assertThat(claimed.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(claimed.body()).path("error").asText()).isEqualTo("unknown_user");
    }

    @Test
    void unregisterIsIdempotent() throws Exception {
        UserId user = TestKeys.userId();
        call("POST", "/v1/users/" + user + "/devices/3", "{\"registrationId\": 1, \"signedPreKey\": \"AA==\"}");

        assertThat(call("DELETE", "/v1/users/" + user + "/devices/3", null).statusCode())
                .isEqualTo(204);
        assertThat(call("DELETE", "/v1/users/" + user + "/devices/3", null).statusCode())
                .isEqualTo(204);
        assertThat(call("POST", "/v1/users/" + user + "/claim", "{}").statusCode())
                .isEqualTo(404);
    }

    @Test
    void malformedRequestsAnswer400WithTheProtocolErrorName() throws Exception {
        HttpResponse<String> notJson = call("POST", "/v1/users/" + TestKeys.userId() + "/devices/1", "{nope");
        HttpResponse<String> badUser = call("GET", "/v1/users/AAAA/devices/1/prekey-count", null);
        HttpResponse<String> badKey = call(
                "POST",
                "/v1/users/" + TestKeys.userId() + "/devices/1",
                "{\"registrationId\": 1, \"signedPreKey\": \"%%%\"}");

        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(notJson.body()).path("error").asText()).isEqualTo("invalid_message");
        assertThat(badUser.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(badUser.body()).path("error").asText()).isEqualTo("invalid_user_id");
        assertThat(badKey.statusCode()).isEqualTo(400);
    }
}

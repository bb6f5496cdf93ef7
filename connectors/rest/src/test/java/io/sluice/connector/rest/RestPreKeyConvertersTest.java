package io.sluice.connector.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.spi.PreKeyBundle;
import io.sluice.spi.PreKeyRequest;
import io.sluice.spi.Registration;
import io.sluice.testkit.TestKeys;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.apache.camel.TypeConversionException;
import org.apache.camel.TypeConverter;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The converters as a route sees them: found by Camel itself, turning Sluice types into openapi.yaml's JSON. */
class RestPreKeyConvertersTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static DefaultCamelContext camel;
    private static TypeConverter converter;

    @BeforeAll
    static void start() {
        camel = new DefaultCamelContext();
        camel.start();
        converter = camel.getTypeConverter();
    }

    @AfterAll
    static void stop() throws Exception {
        camel.close();
    }

    private static JsonNode json(JsonBody body) throws Exception {
        return JSON.readTree(converter.mandatoryConvertTo(byte[].class, body));
    }

    private static InputStream stream(String json) {
        return new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void registrationBecomesTheRegisterBodyWithBase64KeysAndUnsignedId() throws Exception {
        Registration registration = new Registration(
                -294967296, TestKeys.bytes("signed"), List.of(TestKeys.bytes("k1"), TestKeys.bytes("k2")));

        JsonNode body = json(converter.mandatoryConvertTo(JsonBody.class, registration));

        assertThat(body)
                .isEqualTo(
                        JSON.readTree(
                                "{\"registrationId\": 4000000000, \"signedPreKey\": \"c2lnbmVk\", \"oneTimePreKeys\": [\"azE=\", \"azI=\"]}"));
    }

    @Test
    void preKeyRequestBecomesTheClaimBodyWithSortedKnownDevices() throws Exception {
        PreKeyRequest request = new PreKeyRequest(TestKeys.userId(), Set.of(3, 1, -1));

        JsonNode body = json(converter.mandatoryConvertTo(JsonBody.class, request));

        assertThat(body).isEqualTo(JSON.readTree("{\"knownDeviceIds\": [1, 3, 4294967295]}"));
    }

    @Test
    void jsonBodyReadsAsStreamAndAsJqTree() throws Exception {
        JsonBody body =
                converter.mandatoryConvertTo(JsonBody.class, new Registration(1, TestKeys.bytes("s"), List.of()));

        assertThat(converter.mandatoryConvertTo(InputStream.class, body).readAllBytes())
                .isEqualTo(body.toByteArray());
        assertThat(converter
                        .mandatoryConvertTo(JsonNode.class, body)
                        .path("registrationId")
                        .asInt())
                .isEqualTo(1);
    }

    @Test
    void jsonBodyNeverShowsKeyMaterialAsText() {
        JsonBody body = PreKeyJson.registration(new Registration(1, TestKeys.bytes("secret"), List.of()));

        assertThat(body.toString()).doesNotContain("c2VjcmV0").matches("JsonBody\\[\\d+ bytes]");
        assertThat(camel.getTypeConverter().convertTo(String.class, body)).doesNotContain("c2VjcmV0");
    }

    @Test
    void claimReplyBecomesTheBundleList() throws Exception {
        String reply = """
                {"devices": [
                  {"deviceId": 1, "registrationId": 7, "signedPreKey": "c2lnbmVk", "oneTimePreKey": "azE="},
                  {"deviceId": 4294967295, "registrationId": 8, "signedPreKey": "AA==", "oneTimePreKey": null},
                  {"deviceId": 2, "registrationId": 9, "signedPreKey": "AQ=="}
                ]}""";

        PreKeyBundleList bundles = converter.mandatoryConvertTo(PreKeyBundleList.class, stream(reply));

        assertThat(bundles)
                .containsExactly(
                        new PreKeyBundle(1, 7, TestKeys.bytes("signed"), TestKeys.bytes("k1")),
                        new PreKeyBundle(-1, 8, new byte[] {0}, null),
                        new PreKeyBundle(2, 9, new byte[] {1}, null));
        assertThat(converter.mandatoryConvertTo(PreKeyBundleList.class, reply)).isEqualTo(bundles);
        assertThat(converter.mandatoryConvertTo(PreKeyBundleList.class, JSON.readTree(reply)))
                .isEqualTo(bundles);
    }

    @Test
    void countReplyReadsAsInteger() throws Exception {
        PreKeyCount count = converter.mandatoryConvertTo(PreKeyCount.class, stream("{\"count\": 42}"));

        assertThat(count).isEqualTo(new PreKeyCount(42));
        assertThat(converter.mandatoryConvertTo(Integer.class, count)).isEqualTo(42);
        assertThat(converter.mandatoryConvertTo(PreKeyCount.class, "{\"count\": 0}".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(new PreKeyCount(0));
    }

    @Test
    void replyOffTheContractFailsNamingTheFieldNotTheValue() {
        assertThatThrownBy(
                        () -> converter.mandatoryConvertTo(
                                PreKeyBundleList.class,
                                stream(
                                        "{\"devices\": [{\"deviceId\": 1, \"registrationId\": 1, \"signedPreKey\": \"!!secret!!\"}]}")))
                .isInstanceOf(TypeConversionException.class)
                .rootCause()
                .hasMessageContaining("'signedPreKey' is not base64")
                .hasMessageNotContaining("secret");
        assertThatThrownBy(() -> converter.mandatoryConvertTo(PreKeyBundleList.class, stream("[]")))
                .rootCause()
                .hasMessageContaining("no 'devices' array");
        assertThatThrownBy(() -> converter.mandatoryConvertTo(PreKeyCount.class, stream("{\"count\": -1}")))
                .rootCause()
                .hasMessageContaining("'count' is not a non-negative integer");
        assertThatThrownBy(() -> converter.mandatoryConvertTo(PreKeyCount.class, stream("<html>")))
                .rootCause()
                .hasMessageContaining("reply is not JSON");
    }
}

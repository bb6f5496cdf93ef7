package io.sluice.connector.rest;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.spi.PreKeyBundle;
import io.sluice.spi.PreKeyRequest;
import io.sluice.spi.Registration;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The JSON documents of the REST prekey-store contract ({@code connectors/rest/openapi.yaml}), to and from
 * Sluice types. Byte fields are standard base64; device and registration IDs unsigned 32-bit numbers.
 * A reply that does not match the contract throws {@link IllegalArgumentException} naming the field, never
 * showing a value (it may be key material).
 */
public final class PreKeyJson {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private PreKeyJson() {}

    /** {@code {"registrationId": …, "signedPreKey": "…", "oneTimePreKeys": ["…"]}} */
    public static JsonBody registration(Registration registration) {
        ObjectNode json = MAPPER.createObjectNode()
                .put("registrationId", Integer.toUnsignedLong(registration.registrationId()))
                .put("signedPreKey", base64(registration.signedPreKey()));
        ArrayNode keys = json.putArray("oneTimePreKeys");
        registration.oneTimePreKeys().forEach(k -> keys.add(base64(k)));
        return body(json);
    }

    /** {@code {"knownDeviceIds": [ … ]}}, in ascending order. */
    public static JsonBody claimRequest(PreKeyRequest request) {
        ObjectNode json = MAPPER.createObjectNode();
        ArrayNode known = json.putArray("knownDeviceIds");
        request.knownDeviceIds().stream().map(Integer::toUnsignedLong).sorted().forEach(known::add);
        return body(json);
    }

    /** The bundles of {@code {"devices": [{"deviceId", "registrationId", "signedPreKey", "oneTimePreKey"?}]}}. */
    public static PreKeyBundleList claimResponse(JsonNode json) {
        JsonNode devices = json.get("devices");
        if (devices == null || !devices.isArray()) {
            throw new IllegalArgumentException("claim reply: no 'devices' array (expected: see openapi.yaml)");
        }
        List<PreKeyBundle> bundles = new ArrayList<>(devices.size());
        for (JsonNode device : devices) {
            JsonNode oneTime = device.get("oneTimePreKey");
            bundles.add(new PreKeyBundle(
                    uint32(device, "deviceId"),
                    uint32(device, "registrationId"),
                    bytes(device.get("signedPreKey"), "signedPreKey"),
                    oneTime == null || oneTime.isNull() ? null : bytes(oneTime, "oneTimePreKey")));
        }
        return new PreKeyBundleList(bundles);
    }

    /** The count of {@code {"count": n}}. */
    public static PreKeyCount count(JsonNode json) {
        JsonNode count = json.get("count");
        if (count == null || !count.isIntegralNumber() || !count.canConvertToInt() || count.asInt() < 0) {
            throw new IllegalArgumentException("count reply: 'count' is not a non-negative integer");
        }
        return new PreKeyCount(count.asInt());
    }

    /** Parses JSON text; a body that is not JSON throws {@link IllegalArgumentException}. */
    public static JsonNode parse(byte[] json) {
        try {
            return MAPPER.readTree(json);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("reply is not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses JSON from a stream, which it reads to the end. */
    public static JsonNode parse(InputStream json) {
        try {
            return parse(json.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("reply could not be read", e);
        }
    }

    /** The tree of a {@link JsonBody}, for languages such as jq. */
    public static JsonNode tree(JsonBody body) {
        return parse(body.toByteArray());
    }

    private static JsonBody body(JsonNode json) {
        try {
            return new JsonBody(MAPPER.writeValueAsBytes(json));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int uint32(JsonNode object, String field) {
        JsonNode value = object.get(field);
        if (value == null
                || !value.isIntegralNumber()
                || !value.canConvertToLong()
                || value.asLong() < 0
                || value.asLong() > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("claim reply: '" + field + "' is not an integer from 0 to 4294967295");
        }
        return (int) value.asLong();
    }

    private static byte[] bytes(JsonNode value, String field) {
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException("claim reply: '" + field + "' is missing or not base64 text");
        }
        try {
            return Base64.getDecoder().decode(value.asText());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("claim reply: '" + field + "' is not base64");
        }
    }

    private static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }
}

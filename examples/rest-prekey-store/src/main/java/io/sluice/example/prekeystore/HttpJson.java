package io.sluice.example.prekeystore;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import io.sluice.spi.ErrorName;
import io.sluice.spi.SluiceException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** JSON in and out of a JDK {@link HttpExchange}, and the field checks both dialects share. */
final class HttpJson {
    static final ObjectMapper MAPPER = new ObjectMapper();
    /** Requests larger than this are refused: a registration of a few hundred keys is far below. */
    private static final int MAX_BODY = 1 << 20;

    private HttpJson() {}

    static JsonNode read(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readNBytes(MAX_BODY + 1);
            if (body.length > MAX_BODY) {
                throw SluiceException.invalidMessage("body: more than " + MAX_BODY + " bytes");
            }
            if (body.length == 0) {
                return MAPPER.createObjectNode();
            }
            return MAPPER.readTree(body);
        } catch (JacksonException e) {
            throw SluiceException.invalidMessage("body: not JSON (" + e.getOriginalMessage() + ")");
        }
    }

    static void send(HttpExchange exchange, int status, JsonNode body) throws IOException {
        if (body == null) {
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
            return;
        }
        byte[] bytes = MAPPER.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** The error document of the contract: {@code {"error": "<protocol error name>", "description": "…"}}. */
    static void sendError(HttpExchange exchange, int status, ErrorName name, String description) throws IOException {
        send(
                exchange,
                status,
                MAPPER.createObjectNode().put("error", name.wireName()).put("description", description));
    }

    static int unsignedInt(JsonNode node, String field) {
        return unsignedIntValue(node.get(field), field);
    }

    static int unsignedInt(JsonNode array, int index) {
        return unsignedIntValue(array.get(index), "item " + index);
    }

    private static int unsignedIntValue(JsonNode value, String field) {
        if (value == null
                || !value.canConvertToLong()
                || !value.isIntegralNumber()
                || value.asLong() < 0
                || value.asLong() > 0xFFFF_FFFFL) {
            throw SluiceException.invalidMessage(field + ": " + value + " (expected: an integer from 0 to 4294967295)");
        }
        return (int) value.asLong();
    }

    static int unsignedInt(String text, String name) {
        try {
            return Integer.parseUnsignedInt(text);
        } catch (NumberFormatException e) {
            throw SluiceException.invalidMessage(name + ": '" + text + "' (expected: an integer from 0 to 4294967295)");
        }
    }

    static byte[] bytes(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw SluiceException.invalidMessage(field + ": missing (expected: base64 text)");
        }
        return base64(value.asText(), field);
    }

    static byte[] base64(String text, String field) {
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw SluiceException.invalidMessage(field + ": not base64");
        }
    }

    static List<byte[]> bytesList(JsonNode node, String field) {
        JsonNode value = node.get(field);
        List<byte[]> list = new ArrayList<>();
        if (value == null || value.isNull()) {
            return list;
        }
        if (!value.isArray()) {
            throw SluiceException.invalidMessage(field + ": not an array (expected: base64 texts)");
        }
        for (JsonNode item : value) {
            if (!item.isTextual()) {
                throw SluiceException.invalidMessage(field + ": an item is not text (expected: base64 texts)");
            }
            list.add(base64(item.asText(), field));
        }
        return list;
    }

    static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }
}

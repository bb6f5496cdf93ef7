package io.sluice.example.prekeystore;

import static io.sluice.example.prekeystore.HttpJson.MAPPER;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import io.sluice.spi.Address;
import io.sluice.spi.ErrorName;
import io.sluice.spi.PreKeyBundle;
import io.sluice.spi.PreKeyRequest;
import io.sluice.spi.PreKeyStore;
import io.sluice.spi.Registration;
import io.sluice.spi.SluiceException;
import io.sluice.spi.UserId;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * A made-up "keyserv 0.9", standing in for a key store that predates Sluice, with its own paths and JSON shapes
 * (see {@code examples/rest-legacy/README.md}). Sluice reaches it through a route file alone.
 *
 * <ul>
 *   <li>{@code PUT /keyserv/prekeys} {@code {"user","device","reg","signed","onetime":[…]}}</li>
 *   <li>{@code DELETE /keyserv/prekeys?user=…&device=…}</li>
 *   <li>{@code GET /keyserv/prekeys/stock?user=…&device=…} → {@code {"status":"ok","stock":n}}</li>
 *   <li>{@code POST /keyserv/prekeys/take} {@code {"user","skip":[…]}} →
 *       {@code {"status":"ok","keys":[{"device","reg","signed","onetime"}]}}, or {@code {"status":"no_such_user"}}
 *       with 200, as old servers do</li>
 * </ul>
 */
final class LegacyHandler implements PreKeyStoreServer.Api {
    private final PreKeyStore store;

    LegacyHandler(PreKeyStore store) {
        this.store = store;
    }

    @Override
    public boolean handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getRawPath();
        String method = exchange.getRequestMethod();
        ObjectNode ok = MAPPER.createObjectNode().put("status", "ok");
        if (path.equals("/keyserv/prekeys") && method.equals("PUT")) {
            JsonNode body = HttpJson.read(exchange);
            Address address =
                    new Address(UserId.parse(body.path("user").asText()), HttpJson.unsignedInt(body, "device"));
            store.register(
                    address,
                    new Registration(
                            HttpJson.unsignedInt(body, "reg"),
                            HttpJson.bytes(body, "signed"),
                            HttpJson.bytesList(body, "onetime")));
            HttpJson.send(exchange, 200, ok);
        } else if (path.equals("/keyserv/prekeys") && method.equals("DELETE")) {
            store.unregister(queryAddress(exchange));
            HttpJson.send(exchange, 200, ok);
        } else if (path.equals("/keyserv/prekeys/stock") && method.equals("GET")) {
            HttpJson.send(exchange, 200, ok.put("stock", store.count(queryAddress(exchange))));
        } else if (path.equals("/keyserv/prekeys/take") && method.equals("POST")) {
            JsonNode body = HttpJson.read(exchange);
            Set<Integer> skip = new HashSet<>();
            for (int i = 0; i < body.path("skip").size(); i++) {
                skip.add(HttpJson.unsignedInt(body.path("skip"), i));
            }
            try {
                ArrayNode keys = MAPPER.createArrayNode();
                for (PreKeyBundle b : store.claim(
                        new PreKeyRequest(UserId.parse(body.path("user").asText()), skip))) {
                    keys.addObject()
                            .put("device", Integer.toUnsignedLong(b.deviceId()))
                            .put("reg", Integer.toUnsignedLong(b.registrationId()))
                            .put("signed", HttpJson.base64(b.signedPreKey()))
                            .put("onetime", b.oneTimePreKey() == null ? null : HttpJson.base64(b.oneTimePreKey()));
                }
                ok.set("keys", keys);
                HttpJson.send(exchange, 200, ok);
            } catch (SluiceException e) {
                if (e.errorName() != ErrorName.UNKNOWN_USER) {
                    throw e;
                }
                HttpJson.send(exchange, 200, MAPPER.createObjectNode().put("status", "no_such_user"));
            }
        } else {
            return false;
        }
        return true;
    }

    private static Address queryAddress(HttpExchange exchange) {
        Map<String, String> query = new HashMap<>();
        String raw = exchange.getRequestURI().getRawQuery();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    query.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return new Address(
                UserId.parse(query.getOrDefault("user", "")),
                HttpJson.unsignedInt(query.getOrDefault("device", ""), "device"));
    }
}

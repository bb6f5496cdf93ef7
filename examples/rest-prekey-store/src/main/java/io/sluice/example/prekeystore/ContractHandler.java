package io.sluice.example.prekeystore;

import static io.sluice.example.prekeystore.HttpJson.MAPPER;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import io.sluice.spi.Address;
import io.sluice.spi.PreKeyBundle;
import io.sluice.spi.PreKeyRequest;
import io.sluice.spi.PreKeyStore;
import io.sluice.spi.Registration;
import io.sluice.spi.SluiceException;
import io.sluice.spi.UserId;
import java.io.IOException;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The REST prekey-store contract of {@code connectors/rest/openapi.yaml}, over a {@link PreKeyStore}. */
final class ContractHandler implements PreKeyStoreServer.Api {
    private static final Pattern DEVICE = Pattern.compile("/v1/users/([A-Za-z0-9_-]+)/devices/([0-9]+)");
    private static final Pattern COUNT = Pattern.compile("/v1/users/([A-Za-z0-9_-]+)/devices/([0-9]+)/prekey-count");
    private static final Pattern CLAIM = Pattern.compile("/v1/users/([A-Za-z0-9_-]+)/claim");

    private final PreKeyStore store;

    ContractHandler(PreKeyStore store) {
        this.store = store;
    }

    @Override
    public boolean handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getRawPath();
        String method = exchange.getRequestMethod();
        Matcher m;
        if ((m = DEVICE.matcher(path)).matches() && method.equals("POST")) {
            JsonNode body = HttpJson.read(exchange);
            store.register(
                    address(m),
                    new Registration(
                            HttpJson.unsignedInt(body, "registrationId"),
                            HttpJson.bytes(body, "signedPreKey"),
                            HttpJson.bytesList(body, "oneTimePreKeys")));
            HttpJson.send(exchange, 204, null);
        } else if ((m = DEVICE.matcher(path)).matches() && method.equals("DELETE")) {
            store.unregister(address(m));
            HttpJson.send(exchange, 204, null);
        } else if ((m = COUNT.matcher(path)).matches() && method.equals("GET")) {
            HttpJson.send(exchange, 200, MAPPER.createObjectNode().put("count", store.count(address(m))));
        } else if ((m = CLAIM.matcher(path)).matches() && method.equals("POST")) {
            JsonNode body = HttpJson.read(exchange);
            Set<Integer> known = new HashSet<>();
            JsonNode knownIds = body.path("knownDeviceIds");
            if (!knownIds.isMissingNode() && !knownIds.isArray()) {
                throw SluiceException.invalidMessage("knownDeviceIds: not an array (expected: device IDs)");
            }
            for (int i = 0; i < knownIds.size(); i++) {
                known.add(HttpJson.unsignedInt(knownIds, i));
            }
            ArrayNode devices = MAPPER.createArrayNode();
            for (PreKeyBundle bundle : store.claim(new PreKeyRequest(UserId.parse(m.group(1)), known))) {
                ObjectNode device = devices.addObject()
                        .put("deviceId", Integer.toUnsignedLong(bundle.deviceId()))
                        .put("registrationId", Integer.toUnsignedLong(bundle.registrationId()))
                        .put("signedPreKey", HttpJson.base64(bundle.signedPreKey()));
                if (bundle.oneTimePreKey() != null) {
                    device.put("oneTimePreKey", HttpJson.base64(bundle.oneTimePreKey()));
                }
            }
            ObjectNode answer = MAPPER.createObjectNode();
            answer.set("devices", devices);
            HttpJson.send(exchange, 200, answer);
        } else {
            return false;
        }
        return true;
    }

    private static Address address(Matcher m) {
        return new Address(UserId.parse(m.group(1)), HttpJson.unsignedInt(m.group(2), "deviceId"));
    }
}

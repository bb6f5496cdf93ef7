package io.sluice.connector.support;

import io.sluice.spi.PreKeyBundle;
import io.sluice.spi.PreKeyRequest;
import io.sluice.spi.PreKeyStore;
import io.sluice.spi.Registration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.Message;

/** The four prekey operations, each one call of a {@link PreKeyStore} on an exchange. */
enum PreKeyOperation {
    REGISTER("register") {
        @Override
        void apply(PreKeyStore store, Message in) throws InvalidPayloadException {
            store.register(SluiceExchanges.address(in), in.getMandatoryBody(Registration.class));
        }
    },
    UNREGISTER("unregister") {
        @Override
        void apply(PreKeyStore store, Message in) {
            store.unregister(SluiceExchanges.address(in));
        }
    },
    REQUEST_PREKEYS("requestPreKeys") {
        @Override
        void apply(PreKeyStore store, Message in) throws InvalidPayloadException {
            List<PreKeyBundle> bundles = store.claim(in.getMandatoryBody(PreKeyRequest.class));
            in.setBody(bundles);
        }
    },
    PREKEY_COUNT("preKeyCount") {
        @Override
        void apply(PreKeyStore store, Message in) {
            in.setBody(store.count(SluiceExchanges.address(in)));
        }
    };

    private final String path;

    PreKeyOperation(String path) {
        this.path = path;
    }

    abstract void apply(PreKeyStore store, Message in) throws InvalidPayloadException;

    void apply(PreKeyStore store, Exchange exchange) throws InvalidPayloadException {
        apply(store, exchange.getMessage());
    }

    static PreKeyOperation of(String uri, String path) {
        return Arrays.stream(values())
                .filter(o -> o.path.equals(path))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(uri + ": unknown operation '" + path + "' (expected: "
                        + Arrays.stream(values()).map(o -> o.path).collect(Collectors.joining(", ")) + ")"));
    }
}

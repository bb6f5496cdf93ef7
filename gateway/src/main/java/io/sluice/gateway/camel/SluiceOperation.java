package io.sluice.gateway.camel;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The {@code sluice:} endpoints. Each request type is one the gateway consumes; {@code deliver} is sent to. */
public enum SluiceOperation {
    /** A device registers prekeys. Consumed. */
    REGISTER("register", true),
    /** A device removes its registration. Consumed. */
    UNREGISTER("unregister", true),
    /** An anonymous client claims a user's prekeys. Consumed. */
    REQUEST_PREKEYS("requestPreKeys", true),
    /** An anonymous client sends a sealed message. Consumed. */
    OUTBOUND("outbound", true),
    /** The gateway checks a device's remaining one-time prekeys. Consumed. */
    PREKEY_COUNT("preKeyCount", true),
    /** Queues a message for an Address and pushes it to the Address's live connections. Sent to. */
    DELIVER("deliver", false);

    private final String path;
    private final boolean consumed;

    SluiceOperation(String path, boolean consumed) {
        this.path = path;
        this.consumed = consumed;
    }

    /** The endpoint URI, for example {@code sluice:outbound}. */
    public String uri() {
        return "sluice:" + path;
    }

    /** Whether routes consume it ({@code from:}) rather than send to it ({@code to:}). */
    public boolean isConsumed() {
        return consumed;
    }

    static SluiceOperation of(String path) {
        return Arrays.stream(values()).filter(o -> o.path.equals(path)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("sluice:" + path + ": no such endpoint (expected: "
                        + Arrays.stream(values()).map(o -> o.path).collect(Collectors.joining(", ")) + ")"));
    }

    @Override
    public String toString() {
        return uri();
    }
}

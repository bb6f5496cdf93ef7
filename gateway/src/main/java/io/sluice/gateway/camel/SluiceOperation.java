package io.sluice.gateway.camel;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/** The {@code sluice:} endpoints. Each request type is one the gateway consumes; {@code deliver} is sent to. */
public enum SluiceOperation {
    /** A device registers prekeys. Consumed. */
    REGISTER("register", true, "devices register their prekeys there"),
    /** A device removes its registration. Consumed. */
    UNREGISTER("unregister", true, "devices remove their registration there"),
    /** An anonymous client claims a user's prekeys. Consumed. */
    REQUEST_PREKEYS("requestPreKeys", true, "clients fetch prekeys there"),
    /** An anonymous client sends a sealed message. Consumed. */
    OUTBOUND("outbound", true, "clients send sealed messages there"),
    /** The gateway checks a device's remaining one-time prekeys. Consumed. */
    PREKEY_COUNT("preKeyCount", true, "the gateway counts a device's one-time prekeys there"),
    /** Queues a message for an Address and pushes it to the Address's live connections. Sent to. */
    DELIVER("deliver", false, "routes hand messages there for delivery");

    private final String path;
    private final boolean consumed;
    private final String purpose;

    SluiceOperation(String path, boolean consumed, String purpose) {
        this.path = path;
        this.consumed = consumed;
        this.purpose = purpose;
    }

    /** The endpoint URI, for example {@code sluice:outbound}. */
    public String uri() {
        return "sluice:" + path;
    }

    /** Whether routes consume it ({@code from:}) rather than send to it ({@code to:}). */
    public boolean isConsumed() {
        return consumed;
    }

    /** What the endpoint is for, in a few words: {@code clients send sealed messages there}. */
    public String purpose() {
        return purpose;
    }

    /** The endpoint with this path ({@code outbound}), if there is one. */
    public static Optional<SluiceOperation> find(String path) {
        return Arrays.stream(values()).filter(o -> o.path.equals(path)).findFirst();
    }

    static SluiceOperation of(String path) {
        return find(path)
                .orElseThrow(() -> new IllegalArgumentException("sluice:" + path
                        + ": no such endpoint (expected: "
                        + Arrays.stream(values()).map(o -> o.path).collect(Collectors.joining(", ")) + ")"));
    }

    @Override
    public String toString() {
        return uri();
    }
}

package io.sluice.bench;

import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The settings every gateway under test gets besides those a scenario needs: the shipped defaults, except
 * where a default is a policy that would measure itself instead of the gateway. The per-connection request
 * rate (1000/1s) would cap 16 sender connections at 16,000 msg/s, and the per-user prekey rate (10/1m) would
 * answer nearly every claim with rate_limited (it is off: a prekey burst above the low threshold is refused). The per-IP connection limit stays as shipped: the connections
 * scenario spreads its sources so that no address exceeds it.
 */
final class GatewaySettings {
    static final Map<String, String> OVERRIDES = Map.of(
            "sluice.limits.requests", "1000000/1s",
            "sluice.limits.prekey-requests", "off",
            // The periodic prekey check is noise for every scenario here; login still checks once.
            "sluice.prekeys.check-interval", "1h");

    private GatewaySettings() {}

    /** The overrides plus a scenario's own settings (which win). */
    static Map<String, String> with(Map<String, String> scenario) {
        Map<String, String> all = new HashMap<>(OVERRIDES);
        all.putAll(scenario);
        return all;
    }

    /** The overrides as the results list them. */
    static String describe() {
        return OVERRIDES.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .map(e -> "`" + e.getKey() + "=" + e.getValue() + "`")
                .collect(Collectors.joining(", "));
    }
}

package io.sluice.spi;

import java.util.Objects;
import java.util.Set;

/**
 * A claim of prekeys: the body of a {@code sluice:requestPreKeys} exchange.
 *
 * @param userId         whose devices
 * @param knownDeviceIds devices the caller already knows, which are neither returned nor claimed from
 */
public record PreKeyRequest(UserId userId, Set<Integer> knownDeviceIds) {
    public PreKeyRequest {
        Objects.requireNonNull(userId, "userId");
        knownDeviceIds = Set.copyOf(knownDeviceIds);
    }
}

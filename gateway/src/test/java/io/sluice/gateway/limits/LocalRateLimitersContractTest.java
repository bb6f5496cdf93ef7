package io.sluice.gateway.limits;

import io.sluice.spi.RateLimiters;
import io.sluice.testkit.RateLimitersContract;

/** The in-process store passes the store contract. */
class LocalRateLimitersContractTest extends RateLimitersContract {
    private final LocalRateLimiters store = new LocalRateLimiters();

    @Override
    protected RateLimiters store() {
        return store;
    }
}

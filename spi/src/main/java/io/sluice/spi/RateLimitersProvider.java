package io.sluice.spi;

/**
 * Opens a {@link RateLimiters} store of one type. Found with {@link java.util.ServiceLoader}; the gateway picks
 * the provider whose {@link #type()} its settings name.
 */
public interface RateLimitersProvider {

    /** The name this store is chosen by, for example {@code redis}. */
    String type();

    /** Opens the store with the gateway's settings. */
    RateLimiters open(Settings settings);
}

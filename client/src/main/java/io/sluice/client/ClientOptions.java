package io.sluice.client;

import java.net.InetSocketAddress;
import java.security.KeyStore;
import java.time.Duration;

/**
 * How a {@link SluiceClient} connects.
 *
 * @param requestTimeout how long a request waits for its response before failing with a TimeoutException
 * @param maxFrameBytes  the largest frame accepted from the server
 * @param bindAddress    the local address to connect from, or null for any (lets a load generator spread its
 *                       connections over 127.0.0.0/8 past one address's ports)
 * @param trustStore     the certificates a {@code wss://} server is trusted by, or null for the JDK's default CAs;
 *                       the host name is verified against the certificate either way
 */
public record ClientOptions(
        Duration requestTimeout, long maxFrameBytes, InetSocketAddress bindAddress, KeyStore trustStore) {

    /** Options without a trust store of their own. */
    public ClientOptions(Duration requestTimeout, long maxFrameBytes, InetSocketAddress bindAddress) {
        this(requestTimeout, maxFrameBytes, bindAddress, null);
    }

    /** 10 s requests, 1 MiB frames, any local address, the JDK's CAs. */
    public static ClientOptions defaults() {
        return new ClientOptions(Duration.ofSeconds(10), 1024 * 1024, null, null);
    }

    /** The same options with another request timeout. */
    public ClientOptions withRequestTimeout(Duration timeout) {
        return new ClientOptions(timeout, maxFrameBytes, bindAddress, trustStore);
    }

    /** The same options with another local address. */
    public ClientOptions withBindAddress(InetSocketAddress address) {
        return new ClientOptions(requestTimeout, maxFrameBytes, address, trustStore);
    }

    /** The same options, trusting the certificates in {@code trusted} for {@code wss://}. */
    public ClientOptions withTrustStore(KeyStore trusted) {
        return new ClientOptions(requestTimeout, maxFrameBytes, bindAddress, trusted);
    }
}

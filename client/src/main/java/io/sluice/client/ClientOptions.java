package io.sluice.client;

import java.net.InetSocketAddress;
import java.net.URI;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How a {@link SluiceClient} connects. {@link #defaults()} is one connection to the URI given to
 * {@link SluiceClient#connect(URI, ClientOptions)}, as the tests and the benchmark use it; a client that must
 * survive a lost gateway instance names its endpoints and a backoff:
 *
 * <pre>{@code
 * ClientOptions options = ClientOptions.builder()
 *         .endpoints(URI.create("wss://a.example/api"), URI.create("wss://b.example/api"))
 *         .reconnect(Backoff.of(Duration.ofMillis(250), Duration.ofSeconds(30)))
 *         .build();
 * SluiceClient client = SluiceClient.connect(options).get();
 * }</pre>
 */
public final class ClientOptions {
    private static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
    private static final long DEFAULT_MAX_FRAME_BYTES = 1024 * 1024;
    // Without reconnecting nothing depends on noticing a dead peer soon, and tests hold idle connections.
    private static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(10);
    // Three of the gateway's default 30 s ping intervals: a peer silent that long is gone (see the README's
    // Keepalive), and a reconnecting client should find out.
    private static final Duration DEFAULT_RECONNECTING_IDLE_TIMEOUT = Duration.ofSeconds(90);

    private final List<URI> endpoints;
    private final Duration requestTimeout;
    private final long maxFrameBytes;
    private final InetSocketAddress bindAddress;
    private final KeyStore trustStore;
    private final Backoff reconnect;
    private final Duration idleTimeoutSetting;

    private ClientOptions(Builder b) {
        this.endpoints = List.copyOf(b.endpoints);
        this.requestTimeout = b.requestTimeout;
        this.maxFrameBytes = b.maxFrameBytes;
        this.bindAddress = b.bindAddress;
        this.trustStore = b.trustStore;
        this.reconnect = b.reconnect;
        this.idleTimeoutSetting = b.idleTimeout;
    }

    /**
     * Options without a trust store of their own.
     *
     * @param requestTimeout how long a request waits for its response before failing with a TimeoutException
     * @param maxFrameBytes  the largest frame accepted from the server
     * @param bindAddress    the local address to connect from, or null for any
     */
    public ClientOptions(Duration requestTimeout, long maxFrameBytes, InetSocketAddress bindAddress) {
        this(requestTimeout, maxFrameBytes, bindAddress, null);
    }

    /**
     * Options of one connection without reconnecting.
     *
     * @param requestTimeout how long a request waits for its response before failing with a TimeoutException
     * @param maxFrameBytes  the largest frame accepted from the server
     * @param bindAddress    the local address to connect from, or null for any
     * @param trustStore     the certificates a {@code wss://} server is trusted by, or null for the JDK's CAs
     */
    public ClientOptions(
            Duration requestTimeout, long maxFrameBytes, InetSocketAddress bindAddress, KeyStore trustStore) {
        this(builder()
                .requestTimeout(requestTimeout)
                .maxFrameBytes(maxFrameBytes)
                .bindAddress(bindAddress)
                .trustStore(trustStore));
    }

    /** 10 s requests, 1 MiB frames, any local address, the JDK's CAs, one connection that is not reopened. */
    public static ClientOptions defaults() {
        return builder().build();
    }

    /** A builder starting from {@link #defaults()}. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these options. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.endpoints = endpoints;
        b.requestTimeout = requestTimeout;
        b.maxFrameBytes = maxFrameBytes;
        b.bindAddress = bindAddress;
        b.trustStore = trustStore;
        b.reconnect = reconnect;
        b.idleTimeout = idleTimeoutSetting;
        return b;
    }

    /** The same options with another request timeout. */
    public ClientOptions withRequestTimeout(Duration timeout) {
        return toBuilder().requestTimeout(timeout).build();
    }

    /** The same options with another local address. */
    public ClientOptions withBindAddress(InetSocketAddress address) {
        return toBuilder().bindAddress(address).build();
    }

    /** The same options, trusting the certificates in {@code trusted} for {@code wss://}. */
    public ClientOptions withTrustStore(KeyStore trusted) {
        return toBuilder().trustStore(trusted).build();
    }

    /** The gateways to connect to, tried in turn; empty unless set (then the URI given to connect is used). */
    public List<URI> endpoints() {
        return endpoints;
    }

    /** How long a request may take, from the call to its answer, across reconnects and retries. */
    public Duration requestTimeout() {
        return requestTimeout;
    }

    /** The largest frame accepted from the server. */
    public long maxFrameBytes() {
        return maxFrameBytes;
    }

    /** The local address to connect from, or null for any. */
    public InetSocketAddress bindAddress() {
        return bindAddress;
    }

    /** The certificates a {@code wss://} server is trusted by, or null for the JDK's default CAs. */
    public KeyStore trustStore() {
        return trustStore;
    }

    /** The backoff between connection attempts, or null when a lost connection is not reopened. */
    public Backoff reconnect() {
        return reconnect;
    }

    /** How long a connection may stay silent (the server pings live ones) before it is taken for dead. */
    public Duration idleTimeout() {
        if (idleTimeoutSetting != null) {
            return idleTimeoutSetting;
        }
        return reconnect != null ? DEFAULT_RECONNECTING_IDLE_TIMEOUT : DEFAULT_IDLE_TIMEOUT;
    }

    @Override
    public String toString() {
        return "ClientOptions[endpoints=" + endpoints + ", requestTimeout=" + requestTimeout + ", maxFrameBytes="
                + maxFrameBytes + ", bindAddress=" + bindAddress + ", trustStore=" + (trustStore != null)
                + ", reconnect=" + reconnect + ", idleTimeout=" + idleTimeout() + "]";
    }

    /** Builds {@link ClientOptions}; every setting starts at its default. */
    public static final class Builder {
        private List<URI> endpoints = List.of();
        private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
        private long maxFrameBytes = DEFAULT_MAX_FRAME_BYTES;
        private InetSocketAddress bindAddress;
        private KeyStore trustStore;
        private Backoff reconnect;
        private Duration idleTimeout;

        private Builder() {}

        /** The gateways to connect to, in the order they are tried; after a failure the next one is tried. */
        public Builder endpoints(URI... endpoints) {
            return endpoints(List.of(endpoints));
        }

        /** The gateways to connect to, in the order they are tried; after a failure the next one is tried. */
        public Builder endpoints(List<URI> endpoints) {
            for (URI endpoint : endpoints) {
                String scheme = Objects.requireNonNull(endpoint, "endpoint").getScheme();
                if (!"ws".equals(scheme) && !"wss".equals(scheme)) {
                    throw new IllegalArgumentException("endpoints: '" + endpoint + "' (expected: ws:// or wss://)");
                }
            }
            this.endpoints = List.copyOf(endpoints);
            return this;
        }

        /** How long a request may take, from the call to its answer (default 10 s). */
        public Builder requestTimeout(Duration timeout) {
            if (timeout == null || timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("requestTimeout: '" + timeout + "' (expected: > 0)");
            }
            this.requestTimeout = timeout;
            return this;
        }

        /** The largest frame accepted from the server (default 1 MiB). */
        public Builder maxFrameBytes(long bytes) {
            if (bytes <= 0) {
                throw new IllegalArgumentException("maxFrameBytes: " + bytes + " (expected: > 0)");
            }
            this.maxFrameBytes = bytes;
            return this;
        }

        /**
         * The local address to connect from, or null for any (lets a load generator spread its connections over
         * 127.0.0.0/8 past one address's ports).
         */
        public Builder bindAddress(InetSocketAddress address) {
            this.bindAddress = address;
            return this;
        }

        /**
         * The certificates a {@code wss://} server is trusted by, or null for the JDK's default CAs; the host name
         * is verified against the certificate either way.
         */
        public Builder trustStore(KeyStore trusted) {
            this.trustStore = trusted;
            return this;
        }

        /**
         * Reopen a lost connection, after waits drawn from {@code backoff}, trying the endpoints in turn; null (the
         * default) keeps one connection whose loss is final.
         */
        public Builder reconnect(Backoff backoff) {
            this.reconnect = backoff;
            return this;
        }

        /**
         * How long a connection may stay silent before it is taken for dead and, when reconnecting, replaced
         * (default 90 s when reconnecting, three of the gateway's default ping intervals; else 10 min).
         */
        public Builder idleTimeout(Duration timeout) {
            if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
                throw new IllegalArgumentException("idleTimeout: '" + timeout + "' (expected: > 0)");
            }
            this.idleTimeout = timeout;
            return this;
        }

        /** The options. */
        public ClientOptions build() {
            return new ClientOptions(this);
        }
    }
}

package io.sluice.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A loopback TCP proxy in front of a real server, so a test can inject network faults without touching the server:
 * <ul>
 *   <li>{@link #cut()} resets every open connection and every new one until {@link #restore()}: what clients see
 *       when the server's host went away (connections reset, new ones refused);
 *   <li>{@link #stall()} stops forwarding bytes in both directions, open connections and new ones alike, until
 *       {@link #restore()}: a black hole, what clients see when packets are dropped (TCP retransmits in vain), a
 *       peer freezes or a link hangs; nothing is lost, the held bytes flow on after the restore;
 *   <li>{@link #drop()} closes every open connection in an orderly way (FIN), once: what clients see when a NAT,
 *       a firewall or a load balancer forgets their connections; new ones are forwarded as before.
 * </ul>
 *
 * <pre>{@code
 * try (TcpProxy proxy = TcpProxy.to("127.0.0.1", 5432)) {
 *     String url = "jdbc:postgresql://127.0.0.1:" + proxy.port() + "/test";
 *     proxy.cut();      // the database is gone
 *     proxy.restore();  // and back
 * }
 * }</pre>
 *
 * The listening port stays bound while cut (new connections are accepted and reset at once), so nothing else
 * can take it and {@link #restore()} cannot fail.
 */
public final class TcpProxy implements BackendControl, AutoCloseable {
    private final InetSocketAddress target;
    private final ServerSocket server;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile boolean cut;
    private volatile boolean stalled;
    private final Object forwarding = new Object();

    private TcpProxy(InetSocketAddress target) throws IOException {
        this.target = target;
        this.server = new ServerSocket(0, 128, InetAddress.getLoopbackAddress());
        threads.execute(this::acceptLoop);
    }

    /** Starts a proxy on a free loopback port that forwards to {@code host:port}. */
    public static TcpProxy to(String host, int port) {
        try {
            return new TcpProxy(new InetSocketAddress(host, port));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a loopback port for the proxy", e);
        }
    }

    /** The loopback port clients connect to instead of the server's. */
    public int port() {
        return server.getLocalPort();
    }

    /** Resets all open connections and every new one, until {@link #restore()}. */
    public void cut() {
        cut = true;
        open.forEach(this::reset);
    }

    /** Holds every byte in both directions, of open connections and new ones, until {@link #restore()}. */
    public void stall() {
        stalled = true;
    }

    /** Closes every open connection with a FIN on both sides, as a peer closing would; new ones are forwarded. */
    public void drop() {
        open.forEach(TcpProxy::finish);
    }

    /** Forwards again: new connections after a {@link #cut()}, the held bytes after a {@link #stall()}. */
    public void restore() {
        cut = false;
        synchronized (forwarding) {
            stalled = false;
            forwarding.notifyAll();
        }
    }

    /** Whether the proxy is stalled. */
    public boolean isStalled() {
        return stalled;
    }

    /** Whether the proxy is cut. */
    public boolean isCut() {
        return cut;
    }

    @Override
    public void takeDown() {
        cut();
    }

    @Override
    public void bringBack() {
        restore();
    }

    @Override
    public void close() {
        restore();
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
        open.forEach(this::reset);
        threads.shutdownNow();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            if (cut) {
                reset(client);
                continue;
            }
            threads.execute(() -> connect(client));
        }
    }

    private void connect(Socket client) {
        Socket upstream = new Socket();
        open.add(client);
        open.add(upstream);
        try {
            awaitForwarding();
            upstream.connect(target, 5_000);
            // A cut between accept and connect must not let this pair through.
            if (cut) {
                throw new SocketException("proxy cut");
            }
            threads.execute(() -> pump(upstream, client));
            pump(client, upstream);
        } catch (IOException e) {
            reset(client);
            reset(upstream);
        }
    }

    /** Copies one direction until either side ends; then ends both, as a real peer closing would. */
    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                awaitForwarding();
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // one side went away: end both below
        } finally {
            reset(from);
            reset(to);
        }
    }

    private void awaitForwarding() throws IOException {
        synchronized (forwarding) {
            while (stalled && !server.isClosed()) {
                try {
                    forwarding.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new SocketException("proxy closed while stalled");
                }
            }
        }
    }

    /** Closes in an orderly way: the peer reads the end of the stream. */
    private static void finish(Socket socket) {
        try {
            socket.shutdownOutput();
        } catch (IOException e) {
            // closing anyway
        }
        try {
            socket.close();
        } catch (IOException e) {
            // already gone
        }
    }

    /** Closes with a TCP reset (linger 0), the way a vanished peer looks to the client. */
    private void reset(Socket socket) {
        open.remove(socket);
        try {
            if (!socket.isClosed()) {
                socket.setSoLinger(true, 0);
            }
        } catch (IOException e) {
            // closing anyway
        }
        try {
            socket.close();
        } catch (IOException e) {
            // already gone
        }
    }

    @Override
    public String toString() {
        return "TcpProxy[127.0.0.1:" + port() + " -> " + target + (cut ? ", cut" : "") + (stalled ? ", stalled" : "")
                + "]";
    }
}

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
 * A loopback TCP proxy in front of a real server, so a test can make that server unreachable without stopping
 * it: {@link #cut()} resets every open connection and every new one until {@link #restore()}. Clients see what
 * they would see if the server's host went away: connections reset, new ones refused.
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

    /** Forwards new connections again. */
    public void restore() {
        cut = false;
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
        return "TcpProxy[127.0.0.1:" + port() + " -> " + target + (cut ? ", cut" : "") + "]";
    }
}

package io.sluice.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Each fault of the proxy, in front of a real echo server over loopback sockets. */
class TcpProxyTest {
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private ServerSocket echo;
    private TcpProxy proxy;

    @BeforeEach
    void start() throws IOException {
        echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        threads.execute(() -> {
            while (!echo.isClosed()) {
                try {
                    Socket client = echo.accept();
                    threads.execute(() -> {
                        try (client) {
                            client.getInputStream().transferTo(client.getOutputStream());
                        } catch (IOException e) {
                            // the test's connection went away
                        }
                    });
                } catch (IOException e) {
                    return;
                }
            }
        });
        proxy = TcpProxy.to("127.0.0.1", echo.getLocalPort());
    }

    @AfterEach
    void stop() throws IOException {
        proxy.close();
        echo.close();
        threads.shutdownNow();
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket("127.0.0.1", proxy.port());
        socket.setSoTimeout(2000);
        return socket;
    }

    private static int roundTrip(Socket socket, int b) throws IOException {
        socket.getOutputStream().write(b);
        socket.getOutputStream().flush();
        return socket.getInputStream().read();
    }

    /** Whether the connection is gone: reset (an exception) or ended (end of stream). */
    private static boolean gone(Socket socket) {
        try {
            return roundTrip(socket, 9) < 0;
        } catch (IOException e) {
            return true;
        }
    }

    @Test
    void forwardsBothWays() throws IOException {
        try (Socket socket = connect()) {
            assertThat(roundTrip(socket, 7)).isEqualTo(7);
        }
    }

    @Test
    void stallHoldsTheBytesWithoutLosingThemUntilRestored() throws IOException {
        try (Socket socket = connect()) {
            assertThat(roundTrip(socket, 1)).isEqualTo(1);
            proxy.stall();
            socket.setSoTimeout(300);
            assertThatThrownBy(() -> roundTrip(socket, 2)).isInstanceOf(SocketTimeoutException.class);
            proxy.restore();
            socket.setSoTimeout(2000);
            assertThat(socket.getInputStream().read())
                    .as("the held byte arrives")
                    .isEqualTo(2);
        }
    }

    @Test
    void dropEndsOpenConnectionsInAnOrderlyWayAndForwardsNewOnes() throws IOException {
        try (Socket socket = connect()) {
            assertThat(roundTrip(socket, 1)).isEqualTo(1);
            proxy.drop();
            InputStream in = socket.getInputStream();
            assertThat(in.read()).as("end of stream").isEqualTo(-1);
        }
        try (Socket again = connect()) {
            assertThat(roundTrip(again, 3)).isEqualTo(3);
        }
    }

    @Test
    void cutResetsOpenAndNewConnectionsUntilRestored() throws IOException {
        try (Socket socket = connect()) {
            assertThat(roundTrip(socket, 1)).isEqualTo(1);
            proxy.cut();
            assertThat(gone(socket)).isTrue();
        }
        try (Socket refused = connect()) {
            assertThat(gone(refused)).isTrue();
        }
        proxy.restore();
        try (Socket again = connect()) {
            assertThat(roundTrip(again, 4)).isEqualTo(4);
        }
    }
}

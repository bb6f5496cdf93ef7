package io.sluice.gateway.testing;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/**
 * A WebSocket peer made of a bare socket: it completes the upgrade, then only reads, recording each frame the
 * server sends. It never answers a ping and never sends a close frame back: a phone that went out of range.
 */
public final class RawWebSocket implements AutoCloseable {
    /** Frame opcodes (RFC 6455, section 5.2). */
    public static final int BINARY = 0x2;

    public static final int CLOSE = 0x8;
    public static final int PING = 0x9;

    /** One frame from the server. */
    public record Frame(int opcode, byte[] payload) {
        /** The status code of a close frame. */
        public int closeStatus() {
            return payload.length < 2 ? 1005 : ((payload[0] & 0xff) << 8) | (payload[1] & 0xff);
        }
    }

    private final Socket socket;
    private final List<Frame> frames = new CopyOnWriteArrayList<>();
    private final int upgradeStatus;
    private volatile boolean ended;

    private RawWebSocket(Socket socket, int upgradeStatus) {
        this.socket = socket;
        this.upgradeStatus = upgradeStatus;
        if (upgradeStatus == 101) {
            Thread.ofPlatform().daemon().name("raw-websocket-reader").start(this::readFrames);
        } else {
            ended = true;
        }
    }

    /** Connects and sends the upgrade request; reads frames in the background once upgraded. */
    public static RawWebSocket connect(URI uri) throws IOException {
        return connect(uri, Map.of());
    }

    /** Connects with these extra request headers (for example {@code X-Forwarded-For}). */
    public static RawWebSocket connect(URI uri, Map<String, String> headers) throws IOException {
        Socket socket = new Socket(uri.getHost(), uri.getPort());
        byte[] key = new byte[16];
        new java.security.SecureRandom().nextBytes(key);
        String request = "GET " + uri.getPath() + " HTTP/1.1\r\n"
                + "Host: " + uri.getHost() + ":" + uri.getPort() + "\r\n"
                + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(key) + "\r\n"
                + "Sec-WebSocket-Version: 13\r\n"
                + headers.entrySet().stream()
                        .map(h -> h.getKey() + ": " + h.getValue() + "\r\n")
                        .collect(Collectors.joining())
                + "\r\n";
        OutputStream out = socket.getOutputStream();
        out.write(request.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        String head = readHead(new DataInputStream(socket.getInputStream()));
        int status = Integer.parseInt(head.split(" ", 3)[1]);
        return new RawWebSocket(socket, status);
    }

    private static String readHead(DataInputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("the server closed before answering the upgrade: " + head);
            }
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    private void readFrames() {
        try {
            DataInputStream in = new DataInputStream(socket.getInputStream());
            while (true) {
                int first = in.read();
                if (first < 0) {
                    return;
                }
                int second = in.readUnsignedByte();
                long length = second & 0x7f;
                if (length == 126) {
                    length = in.readUnsignedShort();
                } else if (length == 127) {
                    length = in.readLong();
                }
                byte[] payload = new byte[(int) length];
                in.readFully(payload);
                frames.add(new Frame(first & 0x0f, payload));
            }
        } catch (IOException e) {
            // the server dropped the connection: the same as the end of the stream here
        } finally {
            ended = true;
        }
    }

    /** The HTTP status of the upgrade: 101 when it succeeded. */
    public int upgradeStatus() {
        return upgradeStatus;
    }

    /** Every frame received so far. */
    public List<Frame> frames() {
        return List.copyOf(frames);
    }

    /** How many frames with this opcode were received. */
    public long count(int opcode) {
        return frames.stream().filter(f -> f.opcode() == opcode).count();
    }

    /** Whether the server has closed the TCP connection (end of stream). */
    public boolean ended() {
        return ended;
    }

    /** Sends a masked binary frame, as a client must. */
    public void sendBinary(byte[] payload) throws IOException {
        ByteBuffer frame = ByteBuffer.allocate(14 + payload.length);
        frame.put((byte) (0x80 | BINARY));
        if (payload.length < 126) {
            frame.put((byte) (0x80 | payload.length));
        } else {
            frame.put((byte) (0x80 | 126)).putShort((short) payload.length);
        }
        byte[] mask = {1, 2, 3, 4};
        frame.put(mask);
        for (int i = 0; i < payload.length; i++) {
            frame.put((byte) (payload[i] ^ mask[i % 4]));
        }
        socket.getOutputStream().write(frame.array(), 0, frame.position());
        socket.getOutputStream().flush();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}

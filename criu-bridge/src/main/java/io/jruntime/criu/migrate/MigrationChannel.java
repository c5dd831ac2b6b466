package io.jruntime.criu.migrate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.Base64;

/**
 * The control connection of a migration: length-prefixed JSON messages ({@code {"type": ...}}), each file of the
 * images as a {@code file} message followed by exactly its bytes. Every read is bounded by the socket timeout, so
 * a peer that hangs is treated as a peer that is gone.
 */
final class MigrationChannel implements AutoCloseable {
    /** A message larger than this is a broken or hostile peer (config.json is at most 4 MiB, base64 a third more). */
    static final int MAX_MESSAGE = 8 * 1024 * 1024;
    static final ObjectMapper JSON = new ObjectMapper();

    private final Socket socket;
    private final DataInputStream in;
    private final DataOutputStream out;

    MigrationChannel(Socket socket, int timeoutMillis) throws IOException {
        this.socket = socket;
        socket.setSoTimeout(timeoutMillis);
        socket.setTcpNoDelay(true);
        this.in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 1 << 16));
        this.out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream(), 1 << 16));
    }

    String peer() {
        return socket.getInetAddress().getHostAddress() + ":" + socket.getPort();
    }

    static ObjectNode message(String type) {
        return JSON.createObjectNode().put("type", type);
    }

    void send(ObjectNode message) throws IOException {
        byte[] b = JSON.writeValueAsBytes(message);
        out.writeInt(b.length);
        out.write(b);
        out.flush();
    }

    JsonNode receive() throws IOException {
        int n = in.readInt();
        if (n < 0 || n > MAX_MESSAGE) {
            throw new IOException("protocol error: message of " + n + " bytes");
        }
        byte[] b = new byte[n];
        in.readFully(b);
        return JSON.readTree(b);
    }

    /** The next message, which must be of this type; a {@code refused}/{@code failed} message becomes the error. */
    JsonNode expect(String type) throws IOException {
        JsonNode m = receive();
        String got = m.path("type").asText();
        if (got.equals(type)) {
            return m;
        }
        if (got.equals("refused") || got.equals("failed")) {
            throw new PeerException(m.path("reason").asText("(no reason given)"));
        }
        throw new IOException("protocol error: expected " + type + ", got " + got);
    }

    /** Sends size bytes of a file after its header. */
    void sendFile(String name, long size, InputStream data) throws IOException {
        send(message("file").put("name", name).put("size", size));
        long left = size;
        byte[] buf = new byte[1 << 16];
        while (left > 0) {
            int r = data.read(buf, 0, (int) Math.min(buf.length, left));
            if (r < 0) {
                throw new IOException(name + " shrank while it was sent");
            }
            out.write(buf, 0, r);
            left -= r;
        }
        out.flush();
    }

    /** Copies exactly size bytes of the stream to sink. */
    void receiveBytes(long size, OutputStream sink) throws IOException {
        long left = size;
        byte[] buf = new byte[1 << 16];
        while (left > 0) {
            int r = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (r < 0) {
                throw new EOFException("connection closed with " + left + " bytes of a file still to come");
            }
            sink.write(buf, 0, r);
            left -= r;
        }
    }

    static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }

    static byte[] unb64(JsonNode n) {
        try {
            return n == null || n.isMissingNode() ? null : Base64.getDecoder().decode(n.asText());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing is all that is left to do
        }
    }

    /** The peer said why it stops (refused preflight, failed restore, wrong token). */
    static final class PeerException extends IOException {
        PeerException(String reason) {
            super(reason);
        }
    }
}

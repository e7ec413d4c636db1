package dev.blitdb.server.http.body;

import dev.blitdb.server.config.ServerConfig;
import dev.blitdb.server.http.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A client that writes its whole oversized body before reading (no {@code Expect: 100-continue}) must still read
 * the JSON 413: the server answers, then reads and discards the rest (lingering close) instead of closing with
 * unread bytes, which would reset the connection and destroy the answer.
 */
class OversizedBodyTest {

    private static final int LIMIT = 1 << 20;

    @TempDir
    static Path data;
    static TestServer server;

    @BeforeAll
    static void start() throws IOException {
        server = TestServer.start(new ServerConfig("127.0.0.1", 0, data, false, 0, LIMIT));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void shouldLetAClientThatWritesA200MegabyteBodyFirstReadThe413() throws IOException {
        long size = 200L << 20;
        String response = rawPut("Content-Length: " + size + "\r\n", out -> {
            byte[] chunk = new byte[64 << 10];
            java.util.Arrays.fill(chunk, (byte) ' ');
            for (long sent = 0; sent < size; sent += chunk.length) {
                out.write(chunk, 0, (int) Math.min(chunk.length, size - sent));
            }
        });
        assertTrue(response.startsWith("HTTP/1.1 413"), response);
        assertTrue(response.contains("\"Type\":\"RequestTooLarge\"") && response.contains("--max-body-size"), response);
    }

    @Test
    void shouldLetAClientThatWritesAChunkedOversizedBodyFirstReadThe413() throws Exception {
        String response = rawPut("Transfer-Encoding: chunked\r\n", out -> {
            byte[] chunk = new byte[32 << 10];
            java.util.Arrays.fill(chunk, (byte) ' ');
            byte[] head = (Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < 8 * LIMIT / chunk.length; i++) {
                out.write(head);
                out.write(chunk);
                out.write('\r');
                out.write('\n');
            }
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        });
        assertTrue(response.startsWith("HTTP/1.1 413"), response);
        assertTrue(response.contains("more than " + LIMIT), response);
        // The server is fine afterwards.
        assertEquals(201, server.put("default", "after/1", "{}").statusCode());
    }

    private interface Body {
        void write(OutputStream out) throws IOException;
    }

    /** Writes the request and its whole body, and only then reads the response until the server closes. */
    private static String rawPut(String framing, Body body) throws IOException {
        URI uri = URI.create(server.server.url());
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout(30_000);
            OutputStream out = new java.io.BufferedOutputStream(socket.getOutputStream(), 64 << 10);
            out.write(("PUT /databases/default/docs?id=big/1 HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + framing + "\r\n").getBytes(StandardCharsets.US_ASCII));
            body.write(out);
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream response = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
                response.write(buffer, 0, n);
            }
            return response.toString(StandardCharsets.UTF_8);
        }
    }
}

package dev.blitdb.server.http.memory;

import com.fasterxml.jackson.databind.JsonNode;
import dev.blitdb.server.http.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reads of a large document cost a chunk, not the document: GET, HEAD, multi-id GET and a one-field projection of a
 * 4 MB document allocate far less than the document on the server, measured over all of this JVM's threads while
 * a raw socket client reads the responses into one fixed buffer.
 */
class LargeDocumentReadTest {

    @TempDir
    static Path data;
    static TestServer server;
    static String bigJson;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(data);
        StringBuilder json = new StringBuilder("{\"Name\":\"big\",\"Items\":[");
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < 4000; i++) {
            json.append(i == 0 ? "" : ",").append("{\"N\":").append(i).append(",\"Text\":\"");
            for (int k = 0; k < 1000; k++) {
                json.append((char) ('a' + random.nextInt(26)));
            }
            json.append("\",\"Q\":\"say \\\"").append(i).append("\\\"\\n\"}");
        }
        json.append("],\"Long\":\"").append("compressible text, ".repeat(20_000)).append("\",");
        json.append("\"@metadata\":{\"@collection\":\"Bigs\"}}");
        bigJson = json.toString();
        assertEquals(201, server.put("default", "bigs/1", bigJson).statusCode());
        assertEquals(201, server.put("default", "smalls/1", "{\"Name\":\"small\"}").statusCode());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void shouldAnswerHeadWithTheContentLengthAGetSends() throws Exception {
        var get = server.getDoc("default", "bigs/1");
        var head = server.send(server.at(server.docs("default", "bigs/1"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()));
        assertEquals(200, head.statusCode());
        assertEquals(get.body().getBytes(StandardCharsets.UTF_8).length,
                Long.parseLong(head.headers().firstValue("Content-Length").orElseThrow()));
        assertEquals(TestServer.json(get).get("Long").asText(), "compressible text, ".repeat(20_000));
    }

    @Test
    void shouldLoadEveryIdOnceInRequestOrderWhenAskedForSeveral() throws Exception {
        var many = server.get("/databases/default/docs?id=smalls/1&id=missing&id=SMALLS/1");
        JsonNode results = TestServer.json(many).get("Results");
        assertEquals(3, results.size());
        assertEquals("small", results.get(0).get("Name").asText());
        assertTrue(results.get(1).isNull());
        assertEquals("small", results.get(2).get("Name").asText());
        var bad = server.get("/databases/default/docs?id=smalls/1&id=" + TestServer.enc("bad\u0001id"));
        assertEquals(400, bad.statusCode(), bad.body());
    }

    @Test
    void shouldProjectOneFieldOfALargeDocument() throws Exception {
        var result = server.post("/databases/default/queries", "{\"Query\":\"from Bigs select Name, Items[].N as N, "
                + "Missing\"}");
        assertEquals(200, result.statusCode(), result.body());
        JsonNode first = TestServer.json(result).get("Results").get(0);
        assertEquals("big", first.get("Name").asText());
        assertEquals(4000, first.get("N").size());
        assertEquals(3999, first.get("N").get(3999).asInt());
        assertTrue(first.get("Missing").isNull());
    }

    @Test
    void shouldAllocateFarLessThanTheDocumentWhenServingItRepeatedly() throws Exception {
        String big = "/databases/default/docs?id=bigs/1";
        String[] requests = {"GET " + big, "GET /databases/default/docs?id=smalls/1", "HEAD " + big,
            "GET /databases/default/docs?id=bigs/1&id=smalls/1", "GET /databases/default/docs?id=smalls/1"};
        byte[] buffer = new byte[64 << 10];
        URI uri = URI.create(server.server.url());
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            for (String r : requests) {
                exchange(out, in, r, buffer); // warm up: classes, thread-local tools
            }
            com.sun.management.ThreadMXBean threads =
                    (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            long before = allocated(threads);
            long sent = 0;
            for (int round = 0; round < 5; round++) {
                for (String r : requests) {
                    sent += exchange(out, in, r, buffer);
                }
            }
            long allocated = allocated(threads) - before;
            assertTrue(sent > 5L * 2 * bigJson.length(), "sent " + sent);
            // The old writer copied the 4 MB document onto the heap for each GET and HEAD: 60+ MB here.
            assertTrue(allocated < 8L << 20, "allocated " + allocated + " bytes for " + sent + " bytes sent");
        }
    }

    private static long allocated(com.sun.management.ThreadMXBean threads) {
        long[] ids = threads.getAllThreadIds();
        return Arrays.stream(threads.getThreadAllocatedBytes(ids)).filter(n -> n > 0).sum();
    }

    /** Sends one request and reads its response (fixed length or chunked) into {@code buffer}; body bytes read. */
    private static long exchange(OutputStream out, InputStream in, String request, byte[] buffer) throws IOException {
        out.write((request + " HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        String status = line(in);
        assertTrue(status.startsWith("HTTP/1.1 200"), request + " -> " + status);
        long length = -1;
        boolean chunked = false;
        for (String h = line(in); !h.isEmpty(); h = line(in)) {
            String lower = h.toLowerCase();
            if (lower.startsWith("content-length:")) {
                length = Long.parseLong(h.substring(15).trim());
            } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                chunked = true;
            }
        }
        if (request.startsWith("HEAD")) {
            return 0;
        }
        if (!chunked) {
            skip(in, length, buffer);
            return length;
        }
        long total = 0;
        while (true) {
            long size = Long.parseLong(line(in).split(";")[0].trim(), 16);
            if (size == 0) {
                line(in);
                return total;
            }
            skip(in, size, buffer);
            line(in);
            total += size;
        }
    }

    private static void skip(InputStream in, long n, byte[] buffer) throws IOException {
        while (n > 0) {
            int r = in.read(buffer, 0, (int) Math.min(buffer.length, n));
            if (r < 0) {
                throw new IOException("connection closed with " + n + " bytes to go");
            }
            n -= r;
        }
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder s = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new IOException("connection closed");
            }
            if (c != '\r') {
                s.append((char) c);
            }
        }
        return s.toString();
    }
}

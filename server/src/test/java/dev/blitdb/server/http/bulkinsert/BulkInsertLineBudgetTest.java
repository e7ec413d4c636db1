package dev.blitdb.server.http.bulkinsert;

import dev.blitdb.server.config.ServerConfig;
import dev.blitdb.server.http.TestServer;
import dev.blitdb.server.http.body.LargeRequestBudget;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A bulk insert's line reader charges a long line to the large-request budget before it grows for it: with a
 * second bulk insert holding its share, a 10 MB line cannot get the room it needs (three times what passes the
 * base charge) and the insert stops with 503 ServerBusy and Retry-After — after committing the line before it —
 * instead of holding 30 MB the budget never gave it. Alone, the same stream goes in whole.
 */
class BulkInsertLineBudgetTest {

    private static final long BUDGET = 64L << 20;

    @TempDir
    static Path data;
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(new ServerConfig("127.0.0.1", 0, data, false, 0, 16L << 20,
                Duration.ofSeconds(30), BUDGET));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String stream(String prefix) {
        return "{\"N\":0,\"@metadata\":{\"@id\":\"" + prefix + "/0\"}}\n"
                + "{\"Long\":\"" + "z".repeat(10 << 20) + "\",\"@metadata\":{\"@id\":\"" + prefix + "/1\"}}\n"
                + "{\"N\":2,\"@metadata\":{\"@id\":\"" + prefix + "/2\"}}\n";
    }

    @Test
    void shouldRefuseALongLineWith503WhenTheBudgetHasNoRoomForIt() throws Exception {
        URI uri = URI.create(server.server.url());
        try (Socket holder = new Socket(uri.getHost(), uri.getPort())) {
            // A first bulk insert starts (its base charge: 28 MB) and keeps its stream open.
            OutputStream out = holder.getOutputStream();
            out.write(("POST /databases/default/bulk_insert HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                    + "\r\n").getBytes(StandardCharsets.US_ASCII));
            chunk(out, "{\"A\":1,\"@metadata\":{\"@id\":\"held/1\"}}\n");
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (server.server.largeRequestBudget().inUse() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            long held = server.server.largeRequestBudget().inUse();
            assertTrue(held > 0 && held < BUDGET / 2, "the first insert holds " + held);

            long started = System.nanoTime();
            HttpResponse<String> busy = server.post("/databases/default/bulk_insert", stream("busy"));
            long waited = (System.nanoTime() - started) / 1_000_000;
            assertEquals(503, busy.statusCode(), busy.body());
            var error = TestServer.json(busy);
            assertEquals("ServerBusy", error.get("Type").asText(), busy.body());
            assertEquals(1, error.get("Index").asInt(), busy.body());
            assertEquals(1, error.get("Committed").asInt(), busy.body());
            assertEquals("1", busy.headers().firstValue("Retry-After").orElse(null));
            assertTrue(waited >= LargeRequestBudget.WAIT_MILLIS - 100, "answered after " + waited + " ms");
            assertEquals(200, server.getDoc("default", "busy/0").statusCode());
            assertEquals(404, server.getDoc("default", "busy/1").statusCode());
            assertEquals(held, server.server.largeRequestBudget().inUse(), "the refused insert gave its grant back");

            chunk(out, "");
            InputStream in = holder.getInputStream();
            assertEquals("HTTP/1.1 200", new String(in.readNBytes(12), StandardCharsets.US_ASCII));
        }
        // Alone, the long line fits (its charge is capped at the whole budget) and the stream goes in whole.
        HttpResponse<String> alone = server.post("/databases/default/bulk_insert", stream("alone"));
        assertEquals(200, alone.statusCode(), alone.body());
        assertEquals(3, TestServer.json(alone).get("Inserted").asInt());
        assertEquals(10 << 20, TestServer.json(server.getDoc("default", "alone/1")).get("Long").asText().length());
        long until = System.nanoTime() + 5_000_000_000L;
        while (server.server.largeRequestBudget().inUse() != 0 && System.nanoTime() < until) {
            Thread.sleep(5);
        }
        assertEquals(0, server.server.largeRequestBudget().inUse());
    }

    private static void chunk(OutputStream out, String text) throws java.io.IOException {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        out.write((Integer.toHexString(b.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(b);
        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }
}

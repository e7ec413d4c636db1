package dev.blitdb.server.http.body;

import dev.blitdb.server.config.ServerConfig;
import dev.blitdb.server.config.ServerConfigParser;
import dev.blitdb.server.http.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Large bodies go through mapped scratch space and a server-wide heap budget: a 1.5 MB PUT and bulk_docs are stored
 * exactly, bad JSON deep inside a spooled body is located as in a small one, and while one upload holds the whole
 * budget another large request waits briefly and then gets 503 ServerBusy with Retry-After — never a 500.
 */
class LargeRequestAdmissionTest {

    private static final long BUDGET = 8L << 20;

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

    private static String bigDocument(int bytes, String marker) {
        StringBuilder json = new StringBuilder("{\"Marker\":\"").append(marker).append("\",\"Parts\":[");
        for (int i = 0; json.length() < bytes; i++) {
            json.append(i == 0 ? "" : ",").append("{\"I\":").append(i).append(",\"T\":\"line ").append(i)
                    .append(" \\\"quoted\\\" \\u00e9 ").append("x".repeat(200)).append("\"}");
        }
        return json.append("]}").toString();
    }

    @Test
    void shouldStoreSpooledBodiesExactlyAndLocateTheirErrors() throws Exception {
        String doc = bigDocument(3 << 19, "put");
        assertEquals(201, server.put("default", "spooled/1", doc).statusCode());
        var get = server.getDoc("default", "spooled/1");
        var expected = TestServer.json(new FakeResponse(doc));
        var actual = (com.fasterxml.jackson.databind.node.ObjectNode) TestServer.json(get);
        actual.remove("@metadata");
        assertEquals(expected, actual);

        String bulk = "{\"Commands\":[{\"Type\":\"PUT\",\"Id\":\"spooled/2\",\"Document\":" + bigDocument(3 << 19, "bulk")
                + "},{\"Type\":\"PUT\",\"Id\":\"spooled/3\",\"Document\":{\"Small\":true}}]}";
        var batch = server.post("/databases/default/bulk_docs", bulk);
        assertEquals(200, batch.statusCode(), batch.body());
        assertEquals("bulk", TestServer.json(server.getDoc("default", "spooled/2")).get("Marker").asText());

        // A bad byte near the end of a 1.5 MB body: the same 400 with line and column as for a small body.
        String bad = doc.substring(0, doc.length() - 2) + "\n ,}";
        var refused = server.put("default", "spooled/bad", bad);
        assertEquals(400, refused.statusCode(), refused.body());
        var error = TestServer.json(refused);
        assertEquals(2, error.get("Line").asInt(), refused.body());
        assertEquals(3, error.get("Column").asInt(), refused.body());
        assertEquals(0, server.server.largeRequestBudget().inUse());
        // Between requests the scratch file holds nothing.
        assertEquals(0, Files.size(server.server.scratchSpace().path()));
        assertTrue(server.server.scratchSpace().path().getFileName().toString()
                .startsWith("scratch-" + ProcessHandle.current().pid() + "-"));
    }

    @Test
    void shouldAnswer503ServerBusyWithRetryAfterWhileTheBudgetIsSpent() throws Exception {
        URI uri = URI.create(server.server.url());
        int declared = 14 << 20; // charged 14 / 2 + 2 MB (built in scratch space), more than the 8 MB budget: it runs alone
        try (Socket slow = new Socket(uri.getHost(), uri.getPort())) {
            OutputStream out = slow.getOutputStream();
            out.write(("PUT /databases/default/docs?id=slow/1 HTTP/1.1\r\nHost: x\r\nContent-Length: " + declared
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String doc = "{\"S\":\"" + "y".repeat(declared - 8) + "\"}";
            byte[] body = doc.getBytes(StandardCharsets.US_ASCII);
            out.write(body, 0, 1 << 20);
            out.flush();
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (server.server.largeRequestBudget().inUse() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(BUDGET, server.server.largeRequestBudget().inUse());

            long started = System.nanoTime();
            HttpResponse<String> busy = server.put("default", "other/1", bigDocument(3 << 19, "busy"));
            long waited = (System.nanoTime() - started) / 1_000_000;
            assertEquals(503, busy.statusCode(), busy.body());
            assertEquals("ServerBusy", TestServer.json(busy).get("Type").asText());
            assertEquals("1", busy.headers().firstValue("Retry-After").orElse(null));
            assertTrue(waited >= LargeRequestBudget.WAIT_MILLIS - 100, "answered after " + waited + " ms");
            // A bulk insert holds its batches from the same budget: it cannot start either.
            HttpResponse<String> bulk = server.post("/databases/default/bulk_insert",
                    "{\"A\":1,\"@metadata\":{\"@id\":\"bulk/1\"}}\n");
            assertEquals(503, bulk.statusCode(), bulk.body());
            assertEquals("ServerBusy", TestServer.json(bulk).get("Type").asText());
            // Small requests are not held up.
            assertEquals(201, server.put("default", "small/1", "{\"A\":1}").statusCode());
            assertEquals(200, server.getDoc("default", "small/1").statusCode());

            out.write(body, 1 << 20, body.length - (1 << 20));
            out.flush();
            InputStream in = slow.getInputStream();
            String status = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
            assertEquals("HTTP/1.1 201", status);
        }
        assertEquals(201, server.put("default", "other/1", bigDocument(3 << 19, "later")).statusCode());
        assertEquals(200, server.post("/databases/default/bulk_insert",
                "{\"A\":1,\"@metadata\":{\"@id\":\"bulk/1\"}}\n").statusCode());
        // The bulk insert gives its grant back as its handler returns, just after its answer went out.
        long until = System.nanoTime() + 5_000_000_000L;
        while (server.server.largeRequestBudget().inUse() != 0 && System.nanoTime() < until) {
            Thread.sleep(5);
        }
        assertEquals(0, server.server.largeRequestBudget().inUse());
        assertTrue(server.server.largeRequestBudget().refused() >= 1);
    }

    @Test
    void shouldTakeTheBudgetFromTheFlagOrTheEnvironmentAndShowIt() throws Exception {
        ServerConfig flag = ServerConfigParser.parse(List.of("--large-request-budget", "96m"), Map.of());
        assertEquals(96L << 20, flag.effectiveLargeRequestBudget());
        ServerConfig env = ServerConfigParser.parse(List.of(), Map.of("BLITDB_LARGE_REQUEST_BUDGET", "40m"));
        assertEquals(40L << 20, env.effectiveLargeRequestBudget());
        ServerConfig automatic = ServerConfigParser.parse(List.of(), Map.of());
        assertEquals(Math.max(16L << 20, Runtime.getRuntime().maxMemory() / 4), automatic.effectiveLargeRequestBudget());
        assertTrue(automatic.describe().contains("large request budget   " + automatic.effectiveLargeRequestBudget()
                + " bytes (a quarter of the max heap)"), automatic.describe());
        assertTrue(ServerConfigParser.USAGE.contains("BLITDB_LARGE_REQUEST_BUDGET"));
    }

    /** Lets {@link TestServer#json} parse a string we sent. */
    private record FakeResponse(String body) implements HttpResponse<String> {
        public int statusCode() {
            return 200;
        }

        public HttpRequest request() {
            return null;
        }

        public java.util.Optional<HttpResponse<String>> previousResponse() {
            return java.util.Optional.empty();
        }

        public java.net.http.HttpHeaders headers() {
            return null;
        }

        public java.util.Optional<javax.net.ssl.SSLSession> sslSession() {
            return java.util.Optional.empty();
        }

        public URI uri() {
            return null;
        }

        public java.net.http.HttpClient.Version version() {
            return java.net.http.HttpClient.Version.HTTP_1_1;
        }
    }
}

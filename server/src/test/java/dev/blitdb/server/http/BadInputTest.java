package dev.blitdb.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.blitdb.server.config.ServerConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.blitdb.server.http.TestServer.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Bad input of every kind gets a clear JSON error with the right status, and leaves what was stored before
 * exactly as it was (checked last, byte for byte, with the same change vectors).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BadInputTest {

    private static final int BODY_LIMIT = 1 << 20;

    @TempDir
    static Path tmp;
    static TestServer server;
    static final Map<String, HttpResponse<String>> before = new LinkedHashMap<>();

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(new ServerConfig("127.0.0.1", 0, tmp.resolve("data"), false, 0, BODY_LIMIT));
        for (int i = 0; i < 20; i++) {
            String id = "kept/" + i;
            assertEquals(201, server.put("default", id, "{\"i\":" + i + ",\"s\":\"caf\u00e9 \\u2603\",\"a\":[1,{\"b\":null}]}")
                    .statusCode());
            before.put(id, server.getDoc("default", id));
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static void assertError(HttpResponse<String> response, int status, String... fragments) {
        assertEquals(status, response.statusCode(), response.body());
        JsonNode body = json(response);
        assertTrue(body.hasNonNull("Type") && body.hasNonNull("Message") && body.hasNonNull("Url"), response.body());
        for (String fragment : fragments) {
            assertTrue(response.body().contains(fragment), "no '" + fragment + "' in " + response.body());
        }
    }

    @Test
    @Order(1)
    void shouldRefuseEveryInvalidJsonTestSuiteFileWith400NamingThePosition() throws Exception {
        String shared = System.getProperty("blitdb.shared.data");
        assumeTrue(shared != null && Files.isDirectory(Path.of(shared, "JSONTestSuite", "test_parsing")),
                "JSONTestSuite not available (system property blitdb.shared.data)");
        List<Path> files;
        try (Stream<Path> all = Files.list(Path.of(shared, "JSONTestSuite", "test_parsing"))) {
            files = all.filter(p -> p.getFileName().toString().startsWith("n_")).sorted().toList();
        }
        assertTrue(files.size() > 150, "only " + files.size() + " n_ files");
        List<String> failures = new ArrayList<>();
        for (Path file : files) {
            var response = server.putBytes("default", "kept/0", Files.readAllBytes(file));
            JsonNode body = response.statusCode() == 400 ? json(response) : null;
            if (body == null || !body.has("Line") || !body.has("Column") || body.get("Line").asInt() < 1
                    || !body.get("Message").asText().contains("line " + body.get("Line").asInt())) {
                failures.add(file.getFileName() + " -> " + response.statusCode() + " " + response.body());
            }
        }
        assertTrue(failures.isEmpty(), failures.size() + " files not refused with a position:\n"
                + String.join("\n", failures));
    }

    @Test
    @Order(2)
    void shouldRefuse100000DeepNestingWith400() throws Exception {
        String arrays = "[".repeat(100_000) + "]".repeat(100_000);
        assertError(server.put("default", "kept/1", arrays), 400, "line 1");
        String objects = "{\"a\":".repeat(100_000) + "1" + "}".repeat(100_000);
        assertError(server.put("default", "kept/1", objects), 400, "nesting depth", "line 1");
        // Exactly at the limit is fine, one more level is not.
        assertEquals(201, server.put("default", "depth/ok", "{\"a\":" + "[".repeat(255) + "]".repeat(255) + "}")
                .statusCode());
        assertError(server.put("default", "depth/ok", "{\"a\":" + "[".repeat(256) + "]".repeat(256) + "}"), 400,
                "limit of 256");
    }

    @Test
    @Order(3)
    void shouldRefuseInvalidUtf8WithItsPosition() throws Exception {
        byte[][] bodies = {
                {'{', '"', 'a', '"', ':', '"', (byte) 0xFF, '"', '}'},
                {'{', '"', 'a', '"', ':', '"', (byte) 0xC0, (byte) 0xAF, '"', '}'},              // overlong '/'
                {'{', '"', 'a', '"', ':', '"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"', '}'}, // UTF-16 surrogate
                {'{', '"', 'a', '"', ':', '"', (byte) 0xE2, (byte) 0x82, '"', '}'},              // truncated
                {'{', '\n', '"', (byte) 0x80, '"', ':', '1', '}'},                               // in a name, line 2
        };
        for (byte[] body : bodies) {
            assertError(server.putBytes("default", "kept/2", body), 400, "line ", "InvalidJson");
        }
        assertError(server.putBytes("default", "kept/2", bodies[4]), 400, "line 2");
        String utf16 = "{\"a\":1}";
        assertError(server.putBytes("default", "kept/2", utf16.getBytes(StandardCharsets.UTF_16LE)), 400);
    }

    @Test
    @Order(4)
    void shouldRefuseOversizedBodiesWith413WithoutReadingThemAll() throws Exception {
        // Expect: 100-continue, as curl sends it: the server refuses from Content-Length before any body byte is
        // sent. (Without it the server answers, then discards the rest of the body for a bounded time and byte count:
        // OversizedBodyTest.)
        assertError(server.send(server.at(server.docs("default", "kept/3")).expectContinue(true)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(new byte[BODY_LIMIT + 1]))), 413, "RequestTooLarge",
                "--max-body-size");
        // Chunked (no Content-Length) and endless: refused once the count passes the limit.
        InputStream endless = new InputStream() {
            @Override
            public int read() {
                return ' ';
            }

            @Override
            public int read(byte[] b, int off, int len) {
                java.util.Arrays.fill(b, off, off + len, (byte) ' ');
                return len;
            }
        };
        // An endless upload outlasts the server's bounded discarding, and the reset that follows can swallow the 413
        // before the JDK client reads it; a few attempts must see it, and none may be accepted.
        HttpResponse<String> chunked = null;
        for (int attempt = 0; attempt < 5 && chunked == null; attempt++) {
            try {
                chunked = server.send(server.at(server.docs("default", "kept/3"))
                        .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> endless)));
            } catch (java.io.IOException resetWhileUploading) {
                // try again
            }
        }
        assertError(chunked, 413, "more than " + BODY_LIMIT);
        assertError(server.send(server.at("/databases/default/bulk_docs").expectContinue(true)
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[BODY_LIMIT + 10]))), 413);
        // Just under the limit is accepted.
        String big = "{\"s\":\"" + "x".repeat(BODY_LIMIT - 16) + "\"}";
        assertEquals(201, server.put("default", "big/ok", big).statusCode());
        assertEquals(BODY_LIMIT - 16, json(server.getDoc("default", "big/ok")).get("s").asText().length());
    }

    @Test
    @Order(5)
    void shouldRefuseEmptyAndHugeIdsWith400() throws Exception {
        String huge = "i".repeat(10_000);
        for (String id : new String[] {"", huge, "bad\u0001id"}) {
            assertError(server.put("default", id, "{}"), 400, "document id");
            assertError(server.getDoc("default", id), 400, "document id");
            assertError(server.delete("default", id), 400, "document id");
            // HEAD answers the status only (no body, by HTTP).
            assertEquals(400, server.send(server.at(server.docs("default", id)).method("HEAD",
                    HttpRequest.BodyPublishers.noBody())).statusCode());
        }
        assertError(server.get("/databases/default/docs?id=ok&id="), 400, "document id");
        assertError(server.send(server.at("/databases/default/docs").PUT(HttpRequest.BodyPublishers.ofString("{}"))),
                400, "'id' is required");
        assertError(server.post("/databases/default/bulk_docs",
                "{\"Commands\":[{\"Type\":\"PUT\",\"Id\":\"" + huge + "\",\"Document\":{}}]}"), 400, "document id");
    }

    @Test
    @Order(6)
    void shouldRefuseBadDocumentsAndHeaders() throws Exception {
        assertError(server.put("default", "kept/4", "[1,2]"), 400);
        assertError(server.put("default", "kept/4", "\"just a string\""), 400);
        assertError(server.put("default", "kept/4", "{\"@metadata\":{\"@collection\":\"\"}}"), 400);
        assertError(server.put("default", "kept/4", ""), 400);
        assertError(server.send(server.at(server.docs("default", "kept/4")).header("If-Match", "*")
                .PUT(HttpRequest.BodyPublishers.ofString("{}"))), 400, "If-Match");
        assertError(server.send(server.at(server.docs("default", "kept/4")).header("If-Match", "\"A:1-nope\"")
                .PUT(HttpRequest.BodyPublishers.ofString("{}"))), 409, "ActualChangeVector");
        assertError(server.put("nowhere", "kept/4", "{}"), 404, "DatabaseDoesNotExist");
        assertError(server.get("/databases/default/docs?id=a&startsWith=x&start=1&start=2"), 400);
    }

    @Test
    @Order(100)
    void shouldLeaveEverythingStoredBeforeUnchanged() throws Exception {
        for (var entry : before.entrySet()) {
            var now = server.getDoc("default", entry.getKey());
            assertEquals(200, now.statusCode());
            assertEquals(entry.getValue().body(), now.body(), entry.getKey());
            assertEquals(entry.getValue().headers().firstValue("ETag"), now.headers().firstValue("ETag"));
        }
        JsonNode stats = json(server.get("/databases/default/stats"));
        assertEquals(0, stats.get("CountOfTombstones").asLong());
        assertEquals(22, stats.get("CountOfDocuments").asLong()); // the 20 kept, depth/ok and big/ok
    }

}

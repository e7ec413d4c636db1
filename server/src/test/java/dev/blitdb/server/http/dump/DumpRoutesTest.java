package dev.blitdb.server.http.dump;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.blitdb.server.http.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Export then import into an empty database: same documents, collections, ids and index definitions, hi-lo kept;
 * the documented example imports; a malformed line stops the import at that line with what came before kept.
 */
class DumpRoutesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;
    private TestServer server;

    @BeforeEach
    void start() throws Exception {
        server = TestServer.start(tmp);
        assertEquals(201, server.createDatabase("shop").statusCode());
        assertEquals(201, server.createDatabase("copy").statusCode());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private byte[] export(String db) throws Exception {
        var r = server.http.send(server.at("/databases/" + db + "/export").build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, r.statusCode(), new String(r.body(), StandardCharsets.UTF_8));
        assertEquals("application/gzip", r.headers().firstValue("Content-Type").orElseThrow());
        return r.body();
    }

    private HttpResponse<String> importInto(String db, byte[] body) throws Exception {
        return server.send(server.at("/databases/" + db + "/import").POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    private static List<String> lines(byte[] gz) throws Exception {
        try (var in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            return List.of(new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n"));
        }
    }

    private static byte[] gzip(String text) throws Exception {
        var out = new ByteArrayOutputStream();
        try (var gz = new GZIPOutputStream(out)) {
            gz.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    private Map<String, JsonNode> documents(String db) throws Exception {
        Map<String, JsonNode> out = new HashMap<>();
        JsonNode results = TestServer.json(server.get("/databases/" + db + "/docs?pageSize=1024")).get("Results");
        for (JsonNode d : results) {
            ObjectNode copy = (ObjectNode) d.deepCopy();
            ObjectNode meta = (ObjectNode) copy.get("@metadata");
            meta.remove("@change-vector");
            meta.remove("@last-modified");
            out.put(meta.get("@id").asText(), copy);
        }
        return out;
    }

    @Test
    void shouldImportAnExportIntoAnEmptyDatabaseWithTheSameDocumentsIndexesAndHiLo() throws Exception {
        for (int i = 0; i < 300; i++) {
            String col = i % 3 == 0 ? "Orders" : "Users";
            assertEquals(201, server.put("shop", col.toLowerCase() + "/" + i, "{\"N\":" + i + ",\"Tags\":[\"a\",\"é\"],"
                    + "\"Nested\":{\"X\":" + (i * 1.5) + "},\"@metadata\":{\"@collection\":\"" + col + "\"}}")
                    .statusCode());
        }
        assertEquals(204, server.delete("shop", "users/1").statusCode());
        server.send(server.at("/databases/shop/admin/indexes").PUT(HttpRequest.BodyPublishers.ofString(
                "{\"Name\":\"Users/ByN\",\"Collection\":\"Users\",\"Fields\":{\"N\":{\"Path\":\"N\",\"Type\":\"Long\"}}}")));
        server.get("/databases/shop/hilo/next?tag=users&size=500");
        byte[] dump = export("shop");
        List<String> lines = lines(dump);
        JsonNode header = JSON.readTree(lines.getFirst()).get("Header");
        assertEquals("BlitDB export", header.get("Format").asText());
        assertEquals(1, header.get("FormatVersion").asInt());
        assertEquals(299, header.get("Documents").asInt());
        assertTrue(lines.getLast().startsWith("{\"End\":{\"Documents\":299"), lines.getLast());
        assertTrue(server.get("/operations?database=shop").body().contains("\"Kind\":\"Export\""));

        var r = importInto("copy", dump);
        assertEquals(200, r.statusCode(), r.body());
        JsonNode result = TestServer.json(r);
        assertEquals(299, result.get("Documents").asLong());
        assertEquals(1, result.get("IndexDefinitions").asLong());
        assertEquals(documents("shop"), documents("copy"));
        assertEquals(TestServer.json(server.get("/databases/shop/collections/stats")).get("Collections"),
                TestServer.json(server.get("/databases/copy/collections/stats")).get("Collections"));
        assertTrue(server.get("/databases/copy/indexes").body().contains("Users/ByN"));
        assertEquals(501, TestServer.json(server.get("/databases/copy/hilo/next?tag=users&size=1")).get("First")
                .asLong(), "hi-lo raised to the source's");
    }

    /** An index's stats entry from {@code /indexes/stats}. */
    private JsonNode indexStats(String db, String name) throws Exception {
        for (JsonNode r : TestServer.json(server.get("/databases/" + db + "/indexes/stats")).get("Results")) {
            if (r.get("Name").asText().equals(name)) {
                return r;
            }
        }
        throw new AssertionError("no index " + name + " in " + db);
    }

    @Test
    void shouldRunTheImportsNormalIndexesAtHighUntilTheyHaveIndexedItsLastDocument() throws Exception {
        for (int i = 0; i < 2_000; i++) {
            assertEquals(201, server.put("shop", "users/" + i, "{\"N\":" + i + ",\"@metadata\":{\"@collection\":\"Users\"}}")
                    .statusCode());
        }
        server.send(server.at("/databases/shop/admin/indexes").PUT(HttpRequest.BodyPublishers.ofString(
                "{\"Name\":\"Users/ByN\",\"Collection\":\"Users\",\"Fields\":{\"N\":{\"Path\":\"N\",\"Type\":\"Long\"}}}")));
        server.send(server.at("/databases/copy/admin/indexes").PUT(HttpRequest.BodyPublishers.ofString(
                "{\"Name\":\"Users/Low\",\"Collection\":\"Users\",\"Fields\":{\"N\":{\"Path\":\"N\",\"Type\":\"Long\"}},"
                        + "\"Priority\":\"Low\"}")));
        org.junit.jupiter.api.Assumptions.assumeTrue(indexStats("copy", "Users/Low").get("EffectiveNice").isInt(),
                "native access is needed for thread priorities");
        byte[] dump = export("shop");

        var r = importInto("copy", dump);
        assertEquals(200, r.statusCode(), r.body());
        // Users/ByN came with the dump, inside the import: it was started boosted, which moved it to a fresh
        // thread at nice 0 (a handoff); the Low index was left alone.
        JsonNode byN = indexStats("copy", "Users/ByN");
        assertEquals("Normal", byN.get("Priority").asText(), "the definition keeps its priority");
        assertTrue(byN.get("PriorityHandoffs").asInt() >= 1, byN.toString());
        JsonNode low = indexStats("copy", "Users/Low");
        assertEquals(0, low.get("PriorityHandoffs").asInt(), low.toString());
        assertEquals(19, low.get("EffectiveNice").asInt(), low.toString());

        var q = server.post("/databases/copy/queries", "{\"Query\":\"from index 'Users/ByN' where N >= 1000\","
                + "\"WaitForNonStaleResults\":true,\"WaitForNonStaleResultsTimeoutInMs\":60000}");
        assertEquals(1000, TestServer.json(q).get("TotalResults").asInt(), q.body());
        // Caught up to the import's last document: back at its own nice value.
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (indexStats("copy", "Users/ByN").get("EffectiveNice").asInt() != 5) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Users/ByN stayed boosted after it caught up: " + indexStats("copy", "Users/ByN"));
            }
            Thread.sleep(20);
        }
    }

    @Test
    void shouldImportTheDocumentedExample() throws Exception {
        String doc = Files.readString(Path.of("EXPORT.md"), StandardCharsets.UTF_8);
        int start = doc.indexOf("```ndjson\n") + 10;
        String example = doc.substring(start, doc.indexOf("```", start));
        var r = importInto("copy", gzip(example));
        assertEquals(200, r.statusCode(), r.body());
        JsonNode result = TestServer.json(r);
        assertEquals(2, result.get("Documents").asLong());
        assertEquals(1, result.get("IndexDefinitions").asLong());
        assertEquals(1, result.get("HiLo").asLong());
        assertEquals(6, result.get("Lines").asLong());
        JsonNode ann = TestServer.json(server.getDoc("copy", "users/1"));
        assertEquals(34, ann.get("Age").asInt());
        assertEquals("Users", ann.get("@metadata").get("@collection").asText());
        assertTrue(ann.get("@metadata").get("@change-vector").asText().startsWith("A:"));
        assertEquals(12.5, TestServer.json(server.getDoc("copy", "orders/1")).get("Total").asDouble());
        assertTrue(server.get("/databases/copy/indexes").body().contains("Users/ByName"));
        assertEquals(33, TestServer.json(server.get("/databases/copy/hilo/next?tag=users&size=1")).get("First").asLong());
        // Plain NDJSON works too (no gzip), into another database.
        assertEquals(201, server.createDatabase("plain").statusCode());
        assertEquals(200, importInto("plain", example.getBytes(StandardCharsets.UTF_8)).statusCode());
    }

    @Test
    void shouldStopAtAMalformedLineKeepingWhatCameBefore() throws Exception {
        String header = "{\"Header\":{\"Format\":\"BlitDB export\",\"FormatVersion\":1}}\n";
        String body = header
                + "{\"Document\":{\"A\":1,\"@metadata\":{\"@id\":\"a/1\"}}}\n"
                + "{\"Document\":{\"A\":2,\"@metadata\":{\"@id\":\"a/2\"}}}\n"
                + "{\"Document\":{\"A\":3,\"@metadata\":{\"@id\":\"a/3\"}\n"
                + "{\"Document\":{\"A\":4,\"@metadata\":{\"@id\":\"a/4\"}}}\n"
                + "{\"End\":{\"Documents\":4}}\n";
        var r = importInto("copy", gzip(body));
        assertEquals(400, r.statusCode(), r.body());
        JsonNode e = TestServer.json(r);
        assertEquals(4, e.get("Line").asLong(), r.body());
        assertEquals(2, e.get("Committed").asLong(), r.body());
        assertTrue(e.get("Message").asText().contains("line 4"), r.body());
        assertEquals(200, server.getDoc("copy", "a/1").statusCode());
        assertEquals(200, server.getDoc("copy", "a/2").statusCode());
        assertEquals(404, server.getDoc("copy", "a/3").statusCode());
        assertEquals(404, server.getDoc("copy", "a/4").statusCode());

        var truncated = importInto("copy", gzip(header + "{\"Document\":{\"@metadata\":{\"@id\":\"t/1\"}}}\n"));
        assertEquals(400, truncated.statusCode());
        assertTrue(truncated.body().contains("without its End record"), truncated.body());
        assertEquals(200, server.getDoc("copy", "t/1").statusCode(), "what came before stays");

        var wrongVersion = importInto("copy", gzip(header.replace("\"FormatVersion\":1", "\"FormatVersion\":9")));
        assertEquals(400, wrongVersion.statusCode());
        assertTrue(wrongVersion.body().contains("line 1") && wrongVersion.body().contains("FormatVersion"),
                wrongVersion.body());
        var unknown = importInto("copy", gzip(header + "{\"Attachment\":{}}\n"));
        assertTrue(unknown.body().contains("unknown record type \\\"Attachment\\\""), unknown.body());
        assertEquals(404, server.get("/databases/nope/export").statusCode());
    }

    @Test
    void shouldStopAtABadDocumentManyChunksInCommittingExactlyTheDocumentsBeforeIt() throws Exception {
        // Documents are converted on worker threads a chunk (1024 documents) at a time; a bad one deep in the
        // stream must still stop the import at its line with every document before it, and none after it.
        StringBuilder body = new StringBuilder("{\"Header\":{\"Format\":\"BlitDB export\",\"FormatVersion\":1}}\n")
                .append("{\"IndexDefinition\":{\"Name\":\"Items/ByN\",\"Collection\":\"Items\",\"Fields\":{\"N\":")
                .append("{\"Path\":\"N\",\"Type\":\"Long\"}}}}\n");
        int bad = 2600; // the 2600th document, on line 2602
        for (int i = 1; i <= 5000; i++) {
            String id = i == bad ? "" : "items/" + i;
            body.append("{\"Document\":{\"N\":").append(i).append(",\"@metadata\":{\"@collection\":\"Items\",")
                    .append("\"@id\":\"").append(id).append("\"}}}\n");
        }
        body.append("{\"End\":{\"Documents\":5000}}\n");
        var r = importInto("copy", gzip(body.toString()));
        assertEquals(400, r.statusCode(), r.body());
        JsonNode e = TestServer.json(r);
        assertEquals(bad + 2, e.get("Line").asLong(), r.body());
        assertEquals(bad - 1, e.get("Committed").asLong(), r.body());
        assertTrue(e.get("Message").asText().startsWith("import stopped at line " + (bad + 2) + ": "), r.body());
        assertEquals(bad - 1, TestServer.json(server.get("/databases/copy/stats")).get("CountOfDocuments").asLong());
        assertEquals(200, server.getDoc("copy", "items/" + (bad - 1)).statusCode());
        assertEquals(404, server.getDoc("copy", "items/" + (bad + 1)).statusCode());
        assertEquals(404, server.getDoc("copy", "items/5000").statusCode());
        // The definition came before the bad line, so it is applied and stays.
        assertTrue(server.get("/databases/copy/indexes").body().contains("Items/ByN"));
    }
}

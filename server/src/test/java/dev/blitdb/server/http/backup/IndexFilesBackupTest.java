package dev.blitdb.server.http.backup;

import com.fasterxml.jackson.databind.JsonNode;
import dev.blitdb.server.http.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A full backup holds the indexes' Lucene files from a pinned commit: the restored database answers a query at
 * once with complete, non-stale results, and its index stats show no document was indexed again (no rebuild);
 * after incrementals, the restored index indexes only the incrementals' changes. A damaged index file refuses the
 * restore naming the file.
 */
class IndexFilesBackupTest {

    @TempDir
    Path tmp;

    private static final String INDEX = "[{\"Name\":\"Users/ByCity\",\"Collection\":\"Users\",\"Fields\":{\"City\":"
            + "{\"Path\":\"City\",\"Type\":\"Keyword\"}}}]";

    private static JsonNode query(TestServer s, String db, boolean wait) throws Exception {
        var r = s.post("/databases/" + db + "/queries", "{\"Query\":\"from index 'Users/ByCity' where City = 'Oslo'"
                + "\"" + (wait ? ",\"WaitForNonStaleResults\":true" : "") + "}");
        assertEquals(200, r.statusCode(), r.body());
        return TestServer.json(r);
    }

    private static JsonNode indexStats(TestServer s, String db) throws Exception {
        var r = s.get("/databases/" + db + "/indexes/stats?name=Users/ByCity");
        assertEquals(200, r.statusCode(), r.body());
        return TestServer.json(r).get("Results").get(0);
    }

    @Test
    void shouldRestoreIndexesFromTheirFilesWithoutARebuild() throws Exception {
        Path folder = tmp.resolve("backups");
        TestServer server = TestServer.start(tmp.resolve("data"));
        try {
            assertEquals(201, server.createDatabase("shop").statusCode());
            var put = server.send(server.at("/databases/shop/admin/indexes").PUT(HttpRequest.BodyPublishers
                    .ofString(INDEX)));
            assertEquals(2, put.statusCode() / 100, put.body());
            for (int i = 0; i < 300; i++) {
                assertEquals(201, server.put("shop", "users/" + i, "{\"City\":\"" + (i % 3 == 0 ? "Oslo" : "Rome")
                        + "\",\"@metadata\":{\"@collection\":\"Users\"}}").statusCode());
            }
            assertEquals(100, query(server, "shop", true).get("TotalResults").asInt());
            server = server.restart(); // an orderly close commits the index with its position

            JsonNode backup = Ops.completed(server, Ops.accepted(server.post("/databases/shop/admin/backup",
                    "{\"Folder\":\"" + folder + "\",\"Type\":\"Full\"}")));
            Path file = Path.of(backup.get("File").asText());
            assertEquals("[\"Users/ByCity\"]", backup.get("Indexes").toString(), backup.toString());
            assertTrue(backup.get("IndexFiles").asInt() >= 2 && backup.get("IndexBytes").asLong() > 0, backup.toString());
            Path files = file.resolveSibling(file.getFileName() + ".files");
            assertTrue(Files.isDirectory(files.resolve("indexes")), "index files beside the data file");
            String manifest = Files.readString(Path.of(backup.get("Manifest").asText()));
            assertTrue(manifest.contains("\"Indexes\" : [ \"Users/ByCity\" ]") && manifest.contains("segments_"),
                    manifest);

            JsonNode restored = Ops.completed(server, Ops.accepted(server.post("/admin/databases/restore",
                    "{\"From\":\"" + folder + "\",\"DatabaseName\":\"shop2\"}")));
            assertEquals("[\"Users/ByCity\"]", restored.get("IndexesRestored").toString(), restored.toString());
            assertEquals("[]", restored.get("IndexesRebuilding").toString(), restored.toString());
            assertTrue(restored.get("Message").asText().contains("no rebuild"), restored.toString());

            // At once, without waiting: complete and not stale.
            JsonNode q = query(server, "shop2", false);
            assertEquals(100, q.get("TotalResults").asInt(), q.toString());
            assertFalse(q.get("IsStale").asBoolean(), q.toString());
            JsonNode stats = indexStats(server, "shop2");
            assertEquals(300, stats.get("Entries").asLong(), stats.toString());
            assertEquals(0, stats.get("DocumentsIndexed").asLong(), "no document was indexed again: " + stats);

            // Changes after the full backup, carried by an incremental: only those are indexed after the restore.
            for (int i = 0; i < 10; i++) {
                assertEquals(201, server.put("shop", "users/new" + i, "{\"City\":\"Oslo\",\"@metadata\":"
                        + "{\"@collection\":\"Users\"}}").statusCode());
            }
            assertEquals(204, server.delete("shop", "users/0").statusCode());
            Ops.completed(server, Ops.accepted(server.post("/databases/shop/admin/backup",
                    "{\"Folder\":\"" + folder + "\",\"Type\":\"Incremental\"}")));
            JsonNode chain = Ops.completed(server, Ops.accepted(server.post("/admin/databases/restore",
                    "{\"From\":\"" + folder + "\",\"DatabaseName\":\"shop3\"}")));
            assertEquals(2, chain.get("FilesApplied").size(), chain.toString());
            assertEquals(109, query(server, "shop3", true).get("TotalResults").asInt());
            JsonNode after = indexStats(server, "shop3");
            assertEquals(10, after.get("DocumentsIndexed").asLong(), "only the incremental's documents: " + after);
            assertEquals(1, after.get("TombstonesApplied").asLong(), after.toString());

            // One damaged index file: refused naming it.
            Path segment;
            try (var l = Files.walk(files.resolve("indexes"))) {
                segment = l.filter(p -> p.getFileName().toString().startsWith("segments_")).findFirst().orElseThrow();
            }
            byte[] bytes = Files.readAllBytes(segment);
            bytes[bytes.length / 2] ^= 1;
            Files.write(segment, bytes);
            JsonNode op = Ops.await(server, Ops.accepted(server.post("/admin/databases/restore",
                    "{\"From\":\"" + folder + "\",\"DatabaseName\":\"shop4\",\"UpTo\":\"" + file.getFileName()
                            + "\"}")));
            assertEquals("Faulted", op.get("State").asText(), op.toString());
            String message = op.get("Error").get("Message").asText();
            assertTrue(message.contains(segment.toString()) && message.contains("checksum"), message);
        } finally {
            server.close();
        }
    }
}

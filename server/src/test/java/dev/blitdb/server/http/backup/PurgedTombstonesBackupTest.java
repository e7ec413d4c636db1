package dev.blitdb.server.http.backup;

import com.fasterxml.jackson.databind.JsonNode;
import dev.blitdb.server.databases.DatabaseLease;
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
 * Tombstones purged after the newest backup's etag: a requested incremental is refused (400 InvalidBackup naming
 * the base file, nothing written); a periodic incremental takes a full backup instead and says why in its run —
 * and the chain restores without the deleted document coming back.
 */
class PurgedTombstonesBackupTest {

    @TempDir
    Path tmp;

    private static void purge(TestServer server, String db, long upTo) {
        try (DatabaseLease lease = server.server.databases().acquire(db)) {
            lease.store().purgeTombstones(upTo, 1000).join();
        }
    }

    @Test
    void anIncrementalAfterPurgedDeletionsIsRefusedOrBecomesAFullBackup() throws Exception {
        Path folder = tmp.resolve("b");
        try (TestServer server = TestServer.start(tmp.resolve("data"))) {
            assertEquals(201, server.createDatabase("shop").statusCode());
            for (int i = 0; i < 5; i++) {
                assertEquals(201, server.put("shop", "users/" + i, "{\"V\":" + i + "}").statusCode());
            }
            JsonNode full = Ops.completed(server, Ops.accepted(server.post("/databases/shop/admin/backup",
                    "{\"Folder\":\"" + folder + "\",\"Type\":\"Full\"}")));
            assertEquals(204, server.delete("shop", "users/1").statusCode());
            purge(server, "shop", Long.MAX_VALUE); // the deletion of users/1 is no longer recorded

            var refused = server.post("/databases/shop/admin/backup", "{\"Folder\":\"" + folder
                    + "\",\"Type\":\"Incremental\"}");
            assertEquals(400, refused.statusCode(), refused.body());
            JsonNode error = TestServer.json(refused);
            assertEquals("InvalidBackup", error.get("Type").asText());
            assertEquals("chain", error.get("Check").asText());
            assertEquals(full.get("File").asText(), error.get("File").asText());
            String message = error.get("Message").asText();
            assertTrue(message.contains("purged") && message.contains("take a full backup"), message);
            try (var l = Files.list(folder)) {
                assertEquals(0, l.filter(p -> p.toString().endsWith(".incremental.blitz")).count());
            }

            // The schedule's incremental falls back to a full backup and reports it.
            var set = server.send(server.at("/databases/shop/admin/backup/config").PUT(HttpRequest.BodyPublishers
                    .ofString("{\"Folder\":\"" + folder + "\",\"FullEvery\":\"P1D\",\"IncrementalEvery\":\"PT1S\","
                            + "\"Retention\":5}")));
            assertEquals(200, set.statusCode(), set.body());
            long deadline = System.nanoTime() + 30_000_000_000L;
            JsonNode run = null;
            while (System.nanoTime() < deadline && run == null) {
                Thread.sleep(100);
                for (JsonNode r : TestServer.json(server.get("/databases/shop/admin/backup/status")).get("LastRuns")) {
                    if (r.has("Note")) {
                        run = r;
                    }
                }
            }
            assertTrue(run != null, "no periodic run reported the fallback");
            assertEquals("Full", run.get("Type").asText(), run.toString());
            assertEquals("Completed", run.get("State").asText(), run.toString());
            assertTrue(run.get("Note").asText().startsWith("a full backup instead of the scheduled incremental: "
                    + "tombstones up to etag 6 were purged"), run.toString());
            JsonNode op = TestServer.json(server.get("/operations/" + run.get("OperationId").asLong()));
            assertTrue(op.get("Result").get("FullBecause").asText().contains("purged"), op.toString());
            assertEquals(204, server.send(server.at("/databases/shop/admin/backup/config").DELETE()).statusCode());
            Thread.sleep(300); // a run that had started finishes

            // The newest chain starts at that full backup: users/1 stays deleted in the restored copy.
            JsonNode restored = Ops.completed(server, Ops.accepted(server.post("/admin/databases/restore",
                    "{\"From\":\"" + folder + "\",\"DatabaseName\":\"shop2\"}")));
            assertFalse(restored.get("FilesApplied").get(0).asText().equals(Path.of(full.get("File").asText())
                    .getFileName().toString()), restored.toString());
            assertEquals(404, server.getDoc("shop2", "users/1").statusCode());
            assertEquals(200, server.getDoc("shop2", "users/2").statusCode());
        }
    }
}

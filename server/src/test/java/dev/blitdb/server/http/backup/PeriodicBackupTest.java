package dev.blitdb.server.http.backup;

import com.fasterxml.jackson.databind.JsonNode;
import dev.blitdb.server.http.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Periodic backups: config and status routes, runs as operations, retention, kept across a restart, removed. */
class PeriodicBackupTest {

    @TempDir
    Path tmp;

    private static java.net.http.HttpResponse<String> put(TestServer s, String path, String body) throws Exception {
        return s.send(s.at(path).PUT(HttpRequest.BodyPublishers.ofString(body)));
    }

    private static long fullBackups(Path folder) throws Exception {
        if (!Files.exists(folder)) {
            return 0;
        }
        try (var l = Files.list(folder)) {
            return l.filter(p -> p.toString().endsWith(".full.blit")).count();
        }
    }

    private static List<String> backupFiles(Path folder) throws Exception {
        try (var l = Files.list(folder)) {
            return l.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".full.blit")
                    || n.endsWith(".incremental.blitz")).sorted().toList();
        }
    }

    @Test
    void shouldRunIncrementalsBetweenFullBackupsAndRestoreTheChain() throws Exception {
        Path data = tmp.resolve("data");
        Path folder = tmp.resolve("chain");
        try (TestServer server = TestServer.start(data)) {
            assertEquals(201, server.createDatabase("shop").statusCode());
            var set = put(server, "/databases/shop/admin/backup/config", "{\"Folder\":\"" + folder
                    + "\",\"FullEvery\":\"PT4S\",\"IncrementalEvery\":\"PT1S\",\"Retention\":1}");
            assertEquals(200, set.statusCode(), set.body());
            assertEquals("PT1S", TestServer.json(set).get("IncrementalEvery").asText());
            assertTrue(TestServer.json(set).has("NextIncrementalRun"));
            // Writes go on while the schedule runs: every incremental carries some of them.
            long deadline = System.nanoTime() + 40_000_000_000L;
            int i = 0;
            JsonNode status;
            boolean incrementalAfterFull;
            do {
                assertEquals(201, server.put("shop", "users/" + (i % 40), "{\"V\":" + i + "}").statusCode());
                if (i % 7 == 3) {
                    server.delete("shop", "users/" + (i % 40 + 1));
                }
                i++;
                Thread.sleep(50);
                status = TestServer.json(server.get("/databases/shop/admin/backup/status"));
                List<String> kinds = new ArrayList<>();
                status.get("LastRuns").forEach(r -> kinds.add(r.get("Type").asText() + "/" + r.get("State").asText()));
                // Newest first: an incremental completed after a second full backup (so retention has pruned).
                int full = kinds.indexOf("Full/Completed");
                incrementalAfterFull = full > 0 && kinds.subList(0, full).contains("Incremental/Completed")
                        && kinds.lastIndexOf("Full/Completed") != full;
            } while (!incrementalAfterFull && System.nanoTime() < deadline);
            assertTrue(incrementalAfterFull, status.toString());
            assertEquals(204, server.send(server.at("/databases/shop/admin/backup/config").DELETE()).statusCode());
            Thread.sleep(300); // a run that had started finishes
            List<String> files = backupFiles(folder);
            assertEquals(1, files.stream().filter(n -> n.endsWith(".full.blit")).count(),
                    "Retention 1 keeps one chain: " + files);
            assertTrue(files.getFirst().endsWith(".full.blit"), "the chain starts with its full backup: " + files);
            assertTrue(files.size() >= 2, files.toString());

            var restore = server.post("/admin/databases/restore", "{\"From\":\"" + folder
                    + "\",\"DatabaseName\":\"shop2\"}");
            JsonNode result = Ops.completed(server, Ops.accepted(restore));
            assertEquals(files.size(), result.get("FilesApplied").size(), result.toString());
            long lastEtag = result.get("LastEtag").asLong();
            // The restored database equals the source as of the last incremental's etag: compare the documents
            // the source has not changed since.
            var manifest = new com.fasterxml.jackson.databind.ObjectMapper().readTree(folder.resolve(files.getLast()
                    + ".manifest.json").toFile());
            assertEquals(manifest.get("LastEtag").asLong(), lastEtag);
            for (int k = 0; k < 40; k++) {
                var src = server.getDoc("shop", "users/" + k);
                var dst = server.getDoc("shop2", "users/" + k);
                if (src.statusCode() == 200 && etag(src.body()) <= lastEtag) {
                    assertEquals(src.body(), dst.body(), "users/" + k);
                }
            }
        }
    }

    private static long etag(String body) {
        int at = body.indexOf("\"@change-vector\":\"A:") + 20;
        return Long.parseLong(body.substring(at, body.indexOf('-', at)));
    }

    @Test
    void shouldRunScheduledBackupsKeepTheNewestAndSurviveARestart() throws Exception {
        Path data = tmp.resolve("data");
        Path folder = tmp.resolve("periodic");
        TestServer server = TestServer.start(data);
        try {
            assertEquals(201, server.createDatabase("shop").statusCode());
            assertEquals(201, server.put("shop", "a", "{}").statusCode());
            var set = put(server, "/databases/shop/admin/backup/config", "{\"Folder\":\"" + folder
                    + "\",\"FullEvery\":\"PT1S\",\"Retention\":2}");
            assertEquals(200, set.statusCode(), set.body());
            JsonNode s = TestServer.json(set);
            assertTrue(s.get("Scheduled").asBoolean());
            assertEquals("PT1S", s.get("FullEvery").asText());
            assertTrue(s.has("NextRun"));
            long deadline = System.nanoTime() + 30_000_000_000L;
            JsonNode status;
            do {
                Thread.sleep(200);
                status = TestServer.json(server.get("/databases/shop/admin/backup/status"));
            } while (status.get("LastRuns").size() < 3 && System.nanoTime() < deadline);
            assertTrue(status.get("LastRuns").size() >= 3, status.toString());
            assertEquals("Completed", status.get("LastRuns").get(0).get("State").asText(), status.toString());
            assertTrue(fullBackups(folder) <= 3 && fullBackups(folder) >= 1, "retention keeps the newest 2 (a third "
                    + "may be being written): " + fullBackups(folder));
            assertTrue(server.get("/operations?database=shop").body().contains("periodic full backup"));

            assertEquals(400, put(server, "/databases/shop/admin/backup/config", "{\"Folder\":\"" + folder
                    + "\",\"FullEvery\":\"PT1H\",\"IncrementalEvery\":\"P1D\"}").statusCode(),
                    "incrementals more often than fulls");
            assertEquals(400, put(server, "/databases/shop/admin/backup/config", "{\"Folder\":\"" + folder
                    + "\",\"FullEvery\":\"P1D\",\"IncrementalEvery\":\"hourly\"}").statusCode());
            assertEquals(400, put(server, "/databases/shop/admin/backup/config", "{\"Folder\":\"" + folder
                    + "\",\"FullEvery\":\"daily\"}").statusCode());
            assertEquals(200, put(server, "/databases/shop/admin/backup/config", "{\"Folder\":\"" + folder
                    + "\",\"FullEvery\":\"P1D\",\"Retention\":3}").statusCode());
            server = server.restart();
            JsonNode after = TestServer.json(server.get("/databases/shop/admin/backup/status"));
            assertTrue(after.get("Scheduled").asBoolean(), after.toString());
            assertEquals("PT24H", after.get("FullEvery").asText(), "shown in ISO-8601 normal form");
            assertEquals(3, after.get("Retention").asInt());

            assertEquals(204, server.send(server.at("/databases/shop/admin/backup/config").DELETE()).statusCode());
            assertFalse(TestServer.json(server.get("/databases/shop/admin/backup/status")).get("Scheduled")
                    .asBoolean());
        } finally {
            server.close();
        }
    }
}

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
                    + "\",\"FullEvery\":\"P1D\",\"IncrementalEvery\":\"PT1H\"}").statusCode());
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

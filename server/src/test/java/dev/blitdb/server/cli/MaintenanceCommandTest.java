package dev.blitdb.server.cli;

import dev.blitdb.server.http.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code blitdb backup|restore|export|import|compact} against a running server and on a stopped data folder. */
class MaintenanceCommandTest {

    @TempDir
    Path tmp;

    private record Run(int status, String out, String err) {
    }

    private static Run run(boolean terminal, String command, String... args) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int status = new MaintenanceCommand(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), terminal).execute(command, List.of(args));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void shouldBackUpRestoreCompactExportAndImportThroughARunningServer() throws Exception {
        try (TestServer server = TestServer.start(tmp.resolve("data"))) {
            String url = server.server.url();
            assertEquals(201, server.createDatabase("shop").statusCode());
            for (int i = 0; i < 30; i++) {
                assertEquals(201, server.put("shop", "users/" + i, "{\"N\":" + i + "}").statusCode());
            }
            Run backup = run(false, "backup", "--url", url, "--db", "shop", "--folder", tmp.resolve("b").toString());
            assertEquals(0, backup.status(), backup.err());
            assertTrue(backup.out().contains("\"Documents\":30") && !backup.out().contains("\r"), backup.out());

            assertEquals(201, server.put("shop", "users/100", "{\"N\":100}").statusCode());
            assertEquals(204, server.delete("shop", "users/0").statusCode());
            Run incremental = run(false, "backup", "--url", url, "--db", "shop", "--folder",
                    tmp.resolve("b").toString(), "--type", "Incremental");
            assertEquals(0, incremental.status(), incremental.err());
            assertTrue(incremental.out().contains("\"Type\":\"Incremental\"")
                    && incremental.out().contains("\"Tombstones\":1"), incremental.out());

            Run restore = run(true, "restore", "--url", url, "--from", tmp.resolve("b").toString(), "--db", "shop2");
            assertEquals(0, restore.status(), restore.err());
            assertTrue(restore.out().contains("\r") && restore.out().contains("restore") && restore.out().contains("%")
                    && restore.out().contains("[") && restore.out().contains("iB/s"), "a progress bar on a terminal: "
                    + restore.out());
            assertEquals(200, server.getDoc("shop2", "users/7").statusCode());
            assertEquals(200, server.getDoc("shop2", "users/100").statusCode(), "the incremental was applied");
            assertEquals(404, server.getDoc("shop2", "users/0").statusCode(), "and its delete");

            assertEquals(0, run(false, "compact", "--url", url, "--db", "shop").status());
            Path dump = tmp.resolve("shop.ndjson.gz");
            Run export = run(true, "export", "--url", url, "--db", "shop", "--out", dump.toString());
            assertEquals(0, export.status(), export.err());
            assertTrue(Files.size(dump) > 0);
            assertEquals(201, server.createDatabase("shop3").statusCode());
            Run imported = run(true, "import", "--url", url, "--db", "shop3", "--in", dump.toString());
            assertEquals(0, imported.status(), imported.err());
            assertTrue(imported.out().contains("\"Documents\":30") && imported.out().contains("import"),
                    imported.out());
            assertTrue(imported.out().contains("\r") && imported.out().contains("%"), "a progress bar: "
                    + imported.out());

            Run refused = run(false, "restore", "--url", url, "--from", tmp.resolve("none").toString(), "--db", "x");
            assertEquals(1, refused.status());
            assertTrue(refused.err().contains("no such backup folder"), refused.err());
        }
    }

    @Test
    void shouldBackUpAndRestoreAStoppedDataFolder() throws Exception {
        Path data = tmp.resolve("data");
        try (TestServer server = TestServer.start(data)) {
            assertEquals(201, server.createDatabase("shop").statusCode());
            assertEquals(201, server.put("shop", "a", "{\"A\":1}").statusCode());
        }
        Run backup = run(false, "backup", "--data-dir", data.toString(), "--db", "shop", "--folder",
                tmp.resolve("b").toString());
        assertEquals(0, backup.status(), backup.err());
        Run noBase = run(false, "backup", "--data-dir", data.toString(), "--db", "shop", "--folder",
                tmp.resolve("empty").toString(), "--type", "Incremental");
        assertEquals(1, noBase.status());
        assertTrue(noBase.err().contains("take a Full backup first"), noBase.err());
        try (TestServer server = TestServer.start(data)) {
            assertEquals(201, server.put("shop", "b", "{\"B\":2}").statusCode());
        }
        Run incremental = run(false, "backup", "--data-dir", data.toString(), "--db", "shop", "--folder",
                tmp.resolve("b").toString(), "--type", "incremental");
        assertEquals(0, incremental.status(), incremental.err());
        assertTrue(incremental.out().contains("\"Documents\":1"), incremental.out());
        Run restore = run(false, "restore", "--data-dir", data.toString(), "--db", "copy", "--from",
                tmp.resolve("b").toString());
        assertEquals(0, restore.status(), restore.err());
        try (TestServer server = TestServer.start(data)) {
            assertEquals(200, server.getDoc("copy", "a").statusCode());
            assertEquals(200, server.getDoc("copy", "b").statusCode(), "the incremental was applied");
        }
        try (var l = Files.list(data)) {
            assertFalse(l.anyMatch(p -> p.getFileName().toString().startsWith(".restoring-")));
        }
        Run usage = run(false, "compact", "--data-dir", data.toString(), "--db", "shop");
        assertEquals(2, usage.status());
        assertEquals(2, run(false, "backup", "--db").status());
        assertEquals(2, run(false, "backup", "--url", "http://127.0.0.1:1").status(), "missing --db");
    }

    @Test
    void aStoppedFolderBackupCarriesTheIndexFilesConsistentWithTheStoreAndSaysWhichRebuild() throws Exception {
        Path data = tmp.resolve("data");
        try (TestServer server = TestServer.start(data)) {
            assertEquals(201, server.createDatabase("shop").statusCode());
            for (int i = 0; i < 50; i++) {
                assertEquals(201, server.put("shop", "users/" + i, "{\"Name\":\"n" + (i % 5) + "\",\"@metadata\":"
                        + "{\"@collection\":\"Users\"}}").statusCode());
            }
            for (String index : List.of("Users/ByName", "Users/ByName2")) {
                var r = server.send(server.at("/databases/shop/admin/indexes").PUT(java.net.http.HttpRequest
                        .BodyPublishers.ofString("{\"Name\":\"" + index + "\",\"Collection\":\"Users\",\"Fields\":"
                                + "{\"Name\":{\"Path\":\"Name\",\"Type\":\"Keyword\"}}}")));
                assertTrue(r.statusCode() / 100 == 2, r.body());
            }
            var q = server.post("/databases/shop/queries", "{\"Query\":\"from index 'Users/ByName' where Name = "
                    + "'n1'\",\"WaitForNonStaleResults\":true}");
            assertEquals(10, TestServer.json(q).get("TotalResults").asInt(), q.body());
            server.post("/databases/shop/queries", "{\"Query\":\"from index 'Users/ByName2' where Name = 'n1'\","
                    + "\"WaitForNonStaleResults\":true}");
        } // the indexes commit on close
        // The second index's files are gone (say, deleted by hand): it is left out and rebuilds on restore.
        Path second;
        try (var l = Files.list(data.resolve("shop").resolve("indexes"))) {
            second = l.filter(p -> p.getFileName().toString().startsWith("users_byname2-")).findFirst().orElseThrow();
        }
        try (var l = Files.list(second)) {
            for (Path f : l.toList()) {
                Files.delete(f);
            }
        }
        Run backup = run(false, "backup", "--data-dir", data.toString(), "--db", "shop", "--folder",
                tmp.resolve("b").toString());
        assertEquals(0, backup.status(), backup.err());
        assertTrue(backup.out().contains("\"Indexes\":\"Users/ByName\"")
                && backup.out().contains("\"IndexesRebuildOnRestore\":\"Users/ByName2\"")
                && backup.out().contains("rebuild from the documents on restore: Users/ByName2 (no commit"),
                backup.out());
        var manifest = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                SmallJson.flatten(backup.out()).get("File").concat(".manifest.json").transform(Path::of).toFile());
        assertEquals("[\"Users/ByName\"]", manifest.get("Indexes").toString());
        assertTrue(manifest.get("Files").size() > 1, manifest.toString());
        assertTrue(manifest.get("Files").get(0).get("Path").asText().startsWith("indexes/users_byname-"),
                manifest.toString());

        Run restore = run(false, "restore", "--data-dir", data.toString(), "--db", "copy", "--from",
                tmp.resolve("b").toString());
        assertEquals(0, restore.status(), restore.err());
        assertTrue(restore.out().contains("\"IndexesRestored\":\"Users/ByName\"")
                && restore.out().contains("\"IndexesRebuilding\":\"Users/ByName2\""), restore.out());
        try (TestServer server = TestServer.start(data)) {
            var q = server.post("/databases/copy/queries", "{\"Query\":\"from index 'Users/ByName' where Name = "
                    + "'n1'\",\"WaitForNonStaleResults\":true}");
            assertEquals(10, TestServer.json(q).get("TotalResults").asInt(), q.body());
            var q2 = server.post("/databases/copy/queries", "{\"Query\":\"from index 'Users/ByName2' where Name = "
                    + "'n1'\",\"WaitForNonStaleResults\":true}");
            assertEquals(10, TestServer.json(q2).get("TotalResults").asInt(), q2.body());
            var stats = TestServer.json(server.get("/databases/copy/indexes/stats")).get("Results");
            for (var st : stats) {
                long indexed = st.get("DocumentsIndexed").asLong();
                if (st.get("Name").asText().equals("Users/ByName")) {
                    assertEquals(0, indexed, "resumed from the backup's files, nothing indexed again: " + st);
                } else {
                    assertEquals(50, indexed, "rebuilt from the documents: " + st);
                }
            }
        }
    }
}

package dev.blitdb.server.http.backup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.blitdb.server.http.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Backup and restore over HTTP on a real server: a backup taken under a concurrent write load restores to exactly
 * the documents acknowledged up to its snapshot etag (id, change vector, content), hi-lo and index definitions
 * included; damaged and incomplete backups are refused naming the file and the check; bad requests get 4xx.
 */
class BackupRoutesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;
    private TestServer server;

    @BeforeEach
    void start() throws Exception {
        server = TestServer.start(tmp.resolve("data"));
        assertEquals(201, server.createDatabase("shop").statusCode());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** One acknowledged write: its etag (from the change vector), the body written, or null for a delete. */
    private record Ack(String id, long etag, String changeVector, String body) {
    }

    private static long etagOf(String changeVector) {
        return Long.parseLong(changeVector.substring(2, changeVector.indexOf('-')));
    }

    private Ack put(String id, String body) throws Exception {
        var r = server.put("shop", id, body);
        assertEquals(201, r.statusCode(), r.body());
        String cv = TestServer.json(r).get("ChangeVector").asText();
        return new Ack(id, etagOf(cv), cv, body);
    }

    private long backup(String folder) throws Exception {
        return Ops.accepted(server.post("/databases/shop/admin/backup", "{\"Folder\":\"" + folder
                + "\",\"Type\":\"Full\"}"));
    }

    @Test
    void shouldRestoreExactlyTheAcknowledgedDocumentsUpToTheSnapshotOfABackupTakenUnderLoad() throws Exception {
        List<Ack> acks = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            acks.add(put("users/" + i, "{\"Name\":\"u" + i + "\",\"Pad\":\"" + "p".repeat(i % 10 == 0 ? 5000 : 10)
                    + "\",\"@metadata\":{\"@collection\":\"Users\"}}"));
        }
        assertEquals(200, server.get("/databases/shop/hilo/next?tag=users&size=1000").statusCode());
        assertEquals(200, server.send(server.at("/databases/shop/admin/indexes").PUT(
                java.net.http.HttpRequest.BodyPublishers.ofString("[{\"Name\":\"Users/ByName\",\"Collection\":"
                        + "\"Users\",\"Fields\":{\"Name\":{\"Path\":\"Name\",\"Type\":\"Keyword\"}}}]")))
                .statusCode() / 100 * 100);
        var concurrent = new ConcurrentLinkedQueue<Ack>();
        var deletes = new ConcurrentLinkedQueue<Ack>();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> writers = new ArrayList<>();
        for (int w = 0; w < 2; w++) {
            int seed = w;
            writers.add(Thread.ofPlatform().start(() -> {
                try {
                    for (int i = 0; !stop.get(); i++) {
                        String id = "users/" + ((i * 7 + seed * 31) % 200);
                        if (i % 9 == 4) {
                            var r = server.delete("shop", id);
                            if (r.statusCode() == 204) {
                                // the tombstone's etag is not returned; a later GET of the source tells it
                                deletes.add(new Ack(id, -1, null, null));
                            }
                        } else {
                            concurrent.add(put(id, "{\"W\":" + seed + ",\"I\":" + i + "}"));
                        }
                    }
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            }));
        }
        while (concurrent.size() < 30) {
            Thread.sleep(5);
        }
        long op = backup(tmp.resolve("backups").toString());
        JsonNode result = Ops.completed(server, op);
        int duringBackup = concurrent.size();
        while (concurrent.size() < duringBackup + 20) {
            Thread.sleep(5);
        }
        stop.set(true);
        for (Thread t : writers) {
            t.join();
        }
        long snapshotEtag = result.get("LastEtag").asLong();
        assertTrue(Files.exists(Path.of(result.get("Manifest").asText())));

        JsonNode restored = Ops.completed(server, Ops.accepted(server.post("/admin/databases/restore",
                "{\"From\":\"" + tmp.resolve("backups") + "\",\"DatabaseName\":\"shop2\"}")));
        assertEquals("shop2", restored.get("DatabaseName").asText());
        assertEquals(snapshotEtag, restored.get("LastEtag").asLong());
        // The index was open at backup time: its pinned Lucene commit came with the backup.
        assertEquals("[\"Users/ByName\"]", restored.get("IndexesRestored").toString(), restored.toString());
        assertEquals("[]", restored.get("IndexesRebuilding").toString(), restored.toString());

        // The model: per id, the last acknowledged put at or before the snapshot etag — unless a delete came
        // after it and before the snapshot, which the restored database then shows as absent.
        Map<String, Ack> lastPut = new HashMap<>();
        List<Ack> all = new ArrayList<>(acks);
        all.addAll(concurrent);
        for (Ack a : all) {
            if (a.etag() <= snapshotEtag) {
                lastPut.merge(a.id(), a, (x, y) -> x.etag() > y.etag() ? x : y);
            }
        }
        Map<String, JsonNode> restoredDocs = allDocuments("shop2");
        long maxEtag = 0;
        for (JsonNode doc : restoredDocs.values()) {
            String cv = doc.get("@metadata").get("@change-vector").asText();
            maxEtag = Math.max(maxEtag, etagOf(cv));
        }
        assertTrue(maxEtag <= snapshotEtag, "nothing after the snapshot is present");
        for (Map.Entry<String, JsonNode> e : restoredDocs.entrySet()) {
            Ack a = lastPut.get(e.getKey());
            assertTrue(a != null, "restored " + e.getKey() + " was never acknowledged before the snapshot");
            JsonNode doc = e.getValue();
            assertEquals(a.changeVector(), doc.get("@metadata").get("@change-vector").asText(), e.getKey());
            ObjectNode content = (ObjectNode) doc.deepCopy();
            content.remove("@metadata");
            ObjectNode written = (ObjectNode) JSON.readTree(a.body());
            written.remove("@metadata");
            assertEquals(written, content, e.getKey());
        }
        for (Ack a : lastPut.values()) {
            if (!restoredDocs.containsKey(a.id())) {
                assertFalse(deletes.stream().noneMatch(d -> d.id().equals(a.id())),
                        a.id() + " (etag " + a.etag() + ") acknowledged before the snapshot is missing");
            }
        }
        var hilo = TestServer.json(server.get("/databases/shop2/hilo/next?tag=users&size=1"));
        assertEquals(1001, hilo.get("First").asLong(), "hi-lo state restored");
        var indexes = server.get("/databases/shop2/indexes");
        assertTrue(indexes.body().contains("Users/ByName"), indexes.body());
    }

    private Map<String, JsonNode> allDocuments(String db) throws Exception {
        Map<String, JsonNode> out = new HashMap<>();
        long from = 0;
        for (; ; ) {
            var r = server.get("/databases/" + db + "/docs?fromEtag=" + from + "&pageSize=1024");
            assertEquals(200, r.statusCode(), r.body());
            JsonNode results = TestServer.json(r).get("Results");
            for (JsonNode d : results) {
                out.put(d.get("@metadata").get("@id").asText(), d);
                from = Math.max(from, etagOf(d.get("@metadata").get("@change-vector").asText()) + 1);
            }
            if (results.size() < 1024) {
                return out;
            }
        }
    }

    private long backup(Path folder, String type) throws Exception {
        return Ops.accepted(server.post("/databases/shop/admin/backup", "{\"Folder\":\"" + folder
                + "\",\"Type\":\"" + type + "\"}"));
    }

    @Test
    void shouldRestoreAFullAndIncrementalChainUpToEachFileOverHttp() throws Exception {
        Path folder = tmp.resolve("chain");
        for (int i = 0; i < 60; i++) {
            put("users/" + i, "{\"N\":" + i + ",\"@metadata\":{\"@collection\":\"Users\"}}");
        }
        assertError(server.post("/databases/shop/admin/backup", "{\"Folder\":\"" + folder
                + "\",\"Type\":\"Incremental\"}"), 400, "take a \"Full\" backup first");
        List<String> files = new ArrayList<>();
        List<Map<String, JsonNode>> states = new ArrayList<>();
        JsonNode full = Ops.completed(server, backup(folder, "Full"));
        files.add(Path.of(full.get("File").asText()).getFileName().toString());
        states.add(allDocuments("shop"));
        java.util.Random rnd = new java.util.Random(3);
        for (int round = 0; round < 3; round++) {
            for (int k = 0; k < 40; k++) {
                String id = "users/" + rnd.nextInt(80);
                if (rnd.nextInt(4) == 0) {
                    server.delete("shop", id);
                } else {
                    put(id, "{\"R\":" + round + ",\"K\":" + k + ",\"@metadata\":{\"@collection\":\""
                            + (rnd.nextBoolean() ? "Users" : "Admins") + "\"}}");
                }
            }
            JsonNode inc = Ops.completed(server, backup(folder, "Incremental"));
            assertEquals("Incremental", inc.get("Type").asText(), inc.toString());
            assertTrue(inc.get("File").asText().endsWith(".incremental.blitz"), inc.toString());
            files.add(Path.of(inc.get("File").asText()).getFileName().toString());
            states.add(allDocuments("shop"));
        }
        for (int i = 0; i < files.size(); i++) {
            String name = "chain" + i;
            JsonNode restored = Ops.completed(server, Ops.accepted(server.post("/admin/databases/restore",
                    "{\"From\":\"" + folder + "\",\"DatabaseName\":\"" + name + "\",\"UpTo\":\"" + files.get(i)
                            + "\"}")));
            assertEquals(i + 1, restored.get("FilesApplied").size(), restored.toString());
            assertEquals(states.get(i), allDocuments(name), "restore up to " + files.get(i));
        }
        // One flipped byte in the middle link: the restore is refused naming that file and the check.
        Path middle = folder.resolve(files.get(2));
        try (FileChannel ch = FileChannel.open(middle, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            ch.read(b, ch.size() / 2);
            b.put(0, (byte) (b.get(0) ^ 4));
            ch.write(b.flip(), ch.size() / 2);
        }
        JsonNode op = Ops.await(server, Ops.accepted(server.post("/admin/databases/restore",
                "{\"From\":\"" + folder + "\",\"DatabaseName\":\"broken\"}")));
        assertEquals("Faulted", op.get("State").asText(), op.toString());
        String message = op.get("Error").get("Message").asText();
        assertTrue(message.contains(middle.toString()) && message.contains("checksum"), message);
        assertEquals(404, server.get("/databases/broken/stats").statusCode());
        // A missing link: refused before the operation starts.
        Files.delete(middle);
        var r = server.post("/admin/databases/restore", "{\"From\":\"" + folder + "\",\"DatabaseName\":\"gap\"}");
        assertEquals(400, r.statusCode(), r.body());
        assertEquals("chain", TestServer.json(r).get("Check").asText());
        assertEquals(folder.resolve(files.get(3)).toString(), TestServer.json(r).get("File").asText());
    }

    private Path backupFile(Path folder) throws Exception {
        try (var l = Files.list(folder)) {
            return l.filter(p -> p.toString().endsWith(".full.blit")).findFirst().orElseThrow();
        }
    }

    @Test
    void shouldRefuseARestoreOfABackupWithOneFlippedByteNamingTheFile() throws Exception {
        for (int i = 0; i < 20; i++) {
            put("d/" + i, "{\"X\":" + i + "}");
        }
        Path folder = tmp.resolve("b1");
        Ops.completed(server, backup(folder.toString()));
        Path file = backupFile(folder);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            ch.read(b, 2 * 4096 + 77);
            b.put(0, (byte) (b.get(0) ^ 1));
            ch.write(b.flip(), 2 * 4096 + 77);
        }
        JsonNode op = Ops.await(server, Ops.accepted(server.post("/admin/databases/restore",
                "{\"From\":\"" + folder + "\",\"DatabaseName\":\"bad\"}")));
        assertEquals("Faulted", op.get("State").asText(), op.toString());
        assertEquals("InvalidBackup", op.get("Error").get("Type").asText());
        String message = op.get("Error").get("Message").asText();
        assertTrue(message.contains(file.toString()) && message.contains("checksum"), message);
        assertFalse(server.get("/databases").body().contains("\"bad\""), "no database was left behind");
        try (var l = Files.list(tmp.resolve("data"))) {
            assertTrue(l.noneMatch(p -> p.getFileName().toString().contains("bad")), "no staging folder left");
        }
        assertEquals(404, server.get("/databases/bad/stats").statusCode());
    }

    @Test
    void shouldRefuseAnIncompleteBackupAtOnceNamingTheFileAndTheCheck() throws Exception {
        put("a", "{}");
        Path folder = tmp.resolve("b2");
        Ops.completed(server, backup(folder.toString()));
        Path file = backupFile(folder);
        Files.delete(file.resolveSibling(file.getFileName() + ".manifest.json"));
        var r = server.post("/admin/databases/restore", "{\"From\":\"" + file + "\",\"DatabaseName\":\"x\"}");
        assertEquals(400, r.statusCode(), r.body());
        JsonNode e = TestServer.json(r);
        assertEquals("InvalidBackup", e.get("Type").asText());
        assertEquals(file.toString(), e.get("File").asText());
        assertEquals("completeness", e.get("Check").asText());
    }

    @Test
    void shouldAnswerBadBackupAndRestoreRequestsWithClearErrors() throws Exception {
        assertError(server.post("/databases/nope/admin/backup", "{\"Folder\":\"/tmp/x\"}"), 404, "does not exist");
        assertError(server.post("/databases/shop/admin/backup", "{\"Folder\":\"relative/x\"}"), 400, "absolute");
        assertError(server.post("/databases/shop/admin/backup", "{\"Folder\":\"" + tmp.resolve("data/inside")
                + "\"}"), 400, "inside the data folder");
        assertError(server.post("/databases/shop/admin/backup", "{\"Folder\":\"/tmp/x\",\"Type\":\"Weekly\"}"),
                400, "\"Type\" must be \"Full\" or \"Incremental\"");
        assertError(server.post("/databases/shop/admin/backup", "{\"Folder\":\"/tmp/x\",\"Extra\":1}"), 400,
                "unknown field \"Extra\"");
        assertError(server.post("/databases/shop/admin/backup", "{\"Folder\":"), 400, "line 1");
        assertError(server.post("/databases/shop/admin/backup", "{}"), 400, "\"Folder\" is required");
        assertError(server.post("/admin/databases/restore", "{\"From\":\"" + tmp.resolve("none")
                + "\",\"DatabaseName\":\"n\"}"), 400, "no such backup folder");
        assertError(server.post("/admin/databases/restore", "{\"From\":\"/tmp\",\"DatabaseName\":\"shop\"}"),
                409, "already exists");
        assertError(server.post("/admin/databases/restore", "{\"From\":\"/tmp\",\"DatabaseName\":\"a/b\"}"), 400,
                "");
    }

    private static void assertError(java.net.http.HttpResponse<String> r, int status, String text) {
        assertEquals(status, r.statusCode(), r.body());
        JsonNode e = TestServer.json(r);
        assertTrue(e.has("Type") && e.has("Url") && e.get("Message").asText().contains(text), r.body());
    }
}

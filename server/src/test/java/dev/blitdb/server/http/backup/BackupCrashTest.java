package dev.blitdb.server.http.backup;

import com.fasterxml.jackson.databind.JsonNode;
import dev.blitdb.blittable.BlitWriter;
import dev.blitdb.server.ChildServerProcess;
import dev.blitdb.server.databases.DatabaseLease;
import dev.blitdb.server.http.TestServer;
import dev.blitdb.storage.documents.DocumentStore;
import dev.blitdb.storage.engine.Durability;
import dev.blitdb.storage.engine.StoreOptions;
import dev.blitdb.storage.merger.MergerOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * kill -9 of a server (a child JVM) in the middle of a backup: the source database reopens intact with every
 * document, and the partial backup file — which has no manifest — is refused by restore, naming the file.
 */
class BackupCrashTest {

    private static final int DOCS = 1200;

    @TempDir
    Path tmp;

    @Test
    void shouldLeaveTheSourceIntactAndThePartialBackupRefusedAfterKill9MidBackup() throws Exception {
        Path data = tmp.resolve("data");
        var random = new java.util.Random(5);
        try (DocumentStore store = DocumentStore.open(data.resolve("shop"), StoreOptions.defaults()
                .withDurability(Durability.NO_SYNC), MergerOptions.defaults())) {
            BlitWriter blit = new BlitWriter();
            List<CompletableFuture<?>> puts = new ArrayList<>();
            for (int i = 0; i < DOCS; i++) {
                byte[] noise = new byte[6000];
                random.nextBytes(noise); // incompressible, so the blittable writer's LZ4 keeps ~8 KB per document
                byte[] json = ("{\"N\":" + i + ",\"Pad\":\"" + java.util.Base64.getEncoder().encodeToString(noise)
                        + "\"}").getBytes(StandardCharsets.UTF_8);
                puts.add(store.put("docs/" + i, blit.convert(json, 0, json.length).toByteArray(), null));
            }
            CompletableFuture.allOf(puts.toArray(CompletableFuture[]::new)).join();
            store.engine().verify(); // NO_SYNC for speed; close() below syncs the last commit
        }
        Path backups = tmp.resolve("backups");
        Process child = ChildServerProcess.command(List.of("-Xmx256m"), "--port", "0", "--data-dir", data.toString())
                .redirectErrorStream(true).start();
        try (var http = HttpClient.newHttpClient()) {
            String url = ChildServerProcess.awaitListening(child);
            // ~10 MB at 2 MB/s: the backup runs for seconds, so the kill lands in its middle.
            var r = http.send(HttpRequest.newBuilder(URI.create(url + "/databases/shop/admin/backup"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"Folder\":\"" + backups + "\",\"MaxBytesPerSecond\":"
                            + (2 << 20) + "}")).build(), HttpResponse.BodyHandlers.ofString());
            long op = Ops.accepted(r);
            for (long deadline = System.nanoTime() + 30_000_000_000L; ; ) {
                JsonNode o = TestServer.json(http.send(HttpRequest.newBuilder(URI.create(url + "/operations/" + op))
                        .build(), HttpResponse.BodyHandlers.ofString()));
                assertEquals("Running", o.get("State").asText(), o.toString());
                if (o.get("Progress").get("Percent").asDouble() >= 20) {
                    break;
                }
                assertTrue(System.nanoTime() < deadline, "backup made no progress: " + o);
                Thread.sleep(20);
            }
            child.destroyForcibly(); // SIGKILL
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        } finally {
            child.destroyForcibly();
        }
        Path partial;
        try (var l = Files.list(backups)) {
            List<Path> files = l.toList();
            assertEquals(1, files.size(), "only the partial backup file, no manifest: " + files);
            partial = files.getFirst();
            assertTrue(partial.toString().endsWith(".full.blit"), partial.toString());
        }
        try (TestServer server = TestServer.start(data)) {
            try (DatabaseLease lease = server.server.databases().acquire("shop")) {
                lease.store().engine().verify();
                try (var reader = lease.store().beginRead()) {
                    assertEquals(DOCS, reader.documentCount());
                }
            }
            var refused = server.post("/admin/databases/restore", "{\"From\":\"" + backups
                    + "\",\"DatabaseName\":\"shop2\"}");
            assertEquals(400, refused.statusCode(), refused.body());
            JsonNode e = TestServer.json(refused);
            assertEquals("InvalidBackup", e.get("Type").asText());
            assertEquals(partial.toString(), e.get("File").asText());
            assertEquals("completeness", e.get("Check").asText());
            assertFalse(server.get("/databases").body().contains("shop2"));
            // A new backup next to the partial one works, and restoring it by name works.
            long op = Ops.accepted(server.post("/databases/shop/admin/backup", "{\"Folder\":\"" + backups + "\"}"));
            String file = Path.of(Ops.completed(server, op).get("File").asText()).getFileName().toString();
            JsonNode restored = Ops.completed(server, Ops.accepted(server.post("/admin/databases/restore",
                    "{\"From\":\"" + backups + "\",\"DatabaseName\":\"shop2\",\"UpTo\":\"" + file + "\"}")));
            assertEquals(DOCS, restored.get("Documents").asLong());
        }
    }


}

package dev.blitdb.server.http.dump;

import com.fasterxml.jackson.databind.JsonNode;
import dev.blitdb.server.ChildServerProcess;
import dev.blitdb.server.databases.DatabaseLease;
import dev.blitdb.server.http.TestServer;
import dev.blitdb.storage.documents.DocumentReader;
import dev.blitdb.storage.documents.StoredDocument;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What an import acknowledges survives a kill -9, and a kill -9 in the middle of one leaves a consistent database:
 * the server (a child JVM) imports a dump completely into one database and is killed right after its 200, then
 * restarted and killed again while a second, long import streams in. After the restart the first database holds
 * every acknowledged document, and the second exactly a prefix of its dump — documents 1..k, none missing before
 * k, none after it — with etags 1..k, its collection counted k, every body intact and the store verified.
 */
class ImportCrashTest {

    private static final String HEADER = "{\"Header\":{\"Format\":\"BlitDB export\",\"FormatVersion\":1}}\n";

    @TempDir
    Path tmp;

    @Test
    void shouldKeepWhatAnImportAcknowledgedAndAPrefixOfAnImportKilledMidway() throws Exception {
        Path data = tmp.resolve("data");
        int acknowledged = 3000;
        Process child = ChildServerProcess.command(List.of("-Xmx256m"), "--port", "0", "--data-dir", data.toString())
                .redirectErrorStream(true).start();
        try (var http = HttpClient.newHttpClient()) {
            String url = ChildServerProcess.awaitListening(child);
            create(http, url, "done");
            var r = http.send(HttpRequest.newBuilder(URI.create(url + "/databases/done/import"))
                            .POST(HttpRequest.BodyPublishers.ofString(dump(acknowledged))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), r.body());
            assertEquals(acknowledged, TestServer.json(r).get("Documents").asLong(), r.body());
            child.destroyForcibly(); // SIGKILL right after the acknowledgement
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        } finally {
            child.destroyForcibly();
        }

        child = ChildServerProcess.command(List.of("-Xmx256m"), "--port", "0", "--data-dir", data.toString())
                .redirectErrorStream(true).start();
        try (var http = HttpClient.newHttpClient()) {
            String url = ChildServerProcess.awaitListening(child);
            create(http, url, "cut");
            // An endless-looking dump (no End record reached): the kill lands while documents stream in.
            int total = 2_000_000;
            InputStream body = new DumpStream(total);
            var pending = http.sendAsync(HttpRequest.newBuilder(URI.create(url + "/databases/cut/import"))
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            for (long deadline = System.nanoTime() + 60_000_000_000L; ; ) {
                var stats = http.send(HttpRequest.newBuilder(URI.create(url + "/databases/cut/stats")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (stats.statusCode() == 200 && TestServer.json(stats).get("CountOfDocuments").asLong() >= 5000) {
                    break;
                }
                assertTrue(System.nanoTime() < deadline, "the import made no progress: " + stats.body());
                Thread.sleep(20);
            }
            child.destroyForcibly(); // SIGKILL mid-import
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
            pending.handle((x, e) -> null).get(30, TimeUnit.SECONDS);
        } finally {
            child.destroyForcibly();
        }

        try (TestServer server = TestServer.start(data)) {
            checkPrefix(server, "done", acknowledged, acknowledged);
            long k;
            try (DatabaseLease lease = server.server.databases().acquire("cut"); var r = lease.store().beginRead()) {
                k = r.documentCount();
            }
            assertTrue(k >= 5000 && k < 2_000_000, "documents after the kill: " + k);
            checkPrefix(server, "cut", k, -1);
            // The database takes writes again, the next etag following the prefix.
            assertEquals(201, server.put("cut", "after", "{\"A\":1}").statusCode());
            assertEquals("A:" + (k + 1), TestServer.json(server.getDoc("cut", "after")).get("@metadata")
                    .get("@change-vector").asText().split("-")[0]);
        }
    }

    /** Documents 1..k of the dump, and nothing else: ids, etags in order, bodies, the collection's count. */
    private static void checkPrefix(TestServer server, String db, long k, long expected) throws Exception {
        try (DatabaseLease lease = server.server.databases().acquire(db)) {
            lease.store().engine().verify();
            try (DocumentReader r = lease.store().beginRead()) {
                if (expected >= 0) {
                    assertEquals(expected, r.documentCount(), db);
                }
                assertEquals(k, r.lastEtag(), db);
                assertEquals(java.util.Map.of("Items", k), r.collections(), db);
                StoredDocument d = new StoredDocument();
                for (long i = 1; i <= k; i++) {
                    assertTrue(r.get("items/" + i, d), db + ": items/" + i + " of a prefix of " + k + " is missing");
                    assertEquals(i, d.etag(), db + ": items/" + i);
                }
                assertTrue(!r.get("items/" + (k + 1), d), db + ": items/" + (k + 1) + " is past the prefix");
            }
        }
        for (long i : new long[]{1, k / 2, k}) {
            JsonNode doc = TestServer.json(server.getDoc(db, "items/" + i));
            assertEquals(i, doc.get("N").asLong());
            assertEquals(pad(i), doc.get("Pad").asText());
        }
    }

    private static String pad(long i) {
        return ("row " + i + " of the import crash test, padded to look like a real document; ").repeat(4);
    }

    private static String line(long i) {
        return "{\"Document\":{\"N\":" + i + ",\"Pad\":\"" + pad(i) + "\",\"@metadata\":{\"@collection\":\"Items\","
                + "\"@id\":\"items/" + i + "\"}}}\n";
    }

    private static String dump(int n) {
        StringBuilder b = new StringBuilder(HEADER);
        for (int i = 1; i <= n; i++) {
            b.append(line(i));
        }
        return b.append("{\"End\":{\"Documents\":").append(n).append("}}\n").toString();
    }

    /** The lines of a dump of {@code n} documents, produced as they are read (never whole in memory). */
    private static final class DumpStream extends InputStream {
        private final long n;
        private long next;
        private byte[] current = HEADER.getBytes(StandardCharsets.UTF_8);
        private int at;

        DumpStream(long n) {
            this.n = n;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (at == current.length) {
                if (next > n) {
                    return -1;
                }
                next++;
                current = (next <= n ? line(next) : "{\"End\":{\"Documents\":" + n + "}}\n")
                        .getBytes(StandardCharsets.UTF_8);
                at = 0;
            }
            int k = Math.min(len, current.length - at);
            System.arraycopy(current, at, b, off, k);
            at += k;
            return k;
        }
    }

    private static void create(HttpClient http, String url, String name) throws Exception {
        var r = http.send(HttpRequest.newBuilder(URI.create(url + "/admin/databases?name=" + name))
                .PUT(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, r.statusCode(), r.body());
        for (int i = 0; i < 100; i++) {
            if (http.send(HttpRequest.newBuilder(URI.create(url + "/databases/" + name + "/stats")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("database " + name + " never came up");
    }


}

package dev.blitdb.server.http.memory;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import dev.blitdb.server.ChildServerProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Documents far larger than the heap's share for them are built in scratch space, not on the heap (FORMAT.md §14):
 * a server in a child JVM with {@code -Xmx128m} takes three PUTs of 40 MB documents at once — each a 30 MB string
 * full of escapes plus 10 MB of small values — then serves two back while the third is replaced. No 500, no
 * OutOfMemoryError, every document reads back with its string's exact length and all its items, and the heap
 * after a full GC (from the child's GC log) is a few MB. Before, each such PUT built its blittable document (and
 * the store its stamped copy) in heap arrays: 80+ MB per request.
 */
class ScratchBuiltDocumentsTest {

    private static final int TEXT_BYTES = 30 << 20;
    private static final int DOCUMENT_BYTES = 40 << 20;
    private static final byte[][] UNITS = {
        "a \\\"quoted\\\" ".getBytes(StandardCharsets.UTF_8), "line\\n".getBytes(StandardCharsets.UTF_8),
        "\\u00e9".getBytes(StandardCharsets.UTF_8), "\\ud83d\\ude00".getBytes(StandardCharsets.UTF_8),
        "caf\u00e9 ".getBytes(StandardCharsets.UTF_8), "\\t\\\\".getBytes(StandardCharsets.UTF_8)};
    /** Chars each unit decodes to (UTF-16, as Jackson counts them). */
    private static final int[] UNIT_CHARS = {11, 5, 1, 2, 5, 2};

    @TempDir
    Path tmp;

    /** A generated document and what reading it back must show. */
    private record Document(byte[] json, long textChars, int items) {
    }

    @Test
    void shouldBuild40MegabyteDocumentsInScratchSpaceWithA128MegabyteHeap() throws Exception {
        Path gcLog = tmp.resolve("gc.log");
        // Each spooled PUT is charged half its body plus 2 MiB (22 MB here): 72 MB lets three run at once, the
        // point of the test. The heap they really use is far less (asserted below).
        Process child = ChildServerProcess.command(List.of("-Xmx128m", "-Xlog:gc:file=" + gcLog,
                        "-XX:+HeapDumpOnOutOfMemoryError", "-XX:HeapDumpPath=" + tmp.resolve("oom.hprof")),
                "--port", "0", "--data-dir", tmp.resolve("data").toString(), "--max-body-size", "48m",
                "--large-request-budget", "72m").redirectErrorStream(true).start();
        StringBuffer output = new StringBuffer();
        try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build()) {
            String url = ChildServerProcess.awaitListening(child, output);
            Document[] docs = new Document[3];
            for (int i = 0; i < docs.length; i++) {
                docs[i] = document(i);
            }
            Map<String, Integer> statuses = new ConcurrentHashMap<>();
            List<Thread> clients = new ArrayList<>();
            for (int i = 0; i < docs.length; i++) {
                int k = i;
                clients.add(Thread.ofPlatform().start(() -> statuses.put("put " + k, put(http, url, "big/" + k,
                        docs[k].json()))));
            }
            join(clients);
            // Read two back while the third is replaced (by the second's content).
            Map<String, String> reads = new ConcurrentHashMap<>();
            for (int i = 0; i < 2; i++) {
                int k = i;
                clients.add(Thread.ofPlatform().start(() -> reads.put("big/" + k, get(http, url, "big/" + k))));
            }
            clients.add(Thread.ofPlatform().start(() -> statuses.put("replace 2", put(http, url, "big/2",
                    docs[1].json()))));
            join(clients);
            String result = "statuses " + statuses + "; reads " + reads;
            for (int status : statuses.values()) {
                assertEquals(201, status, result);
            }
            for (int i = 0; i < 2; i++) {
                assertEquals(expected(docs[i]), reads.get("big/" + i), result);
            }
            assertEquals(expected(docs[1]), get(http, url, "big/2"));
            long afterFullGc = ChildGcLog.fullGcHeap(child, gcLog);
            long peakRss = peakRssMegabytes(child);
            String figures = "heap after full GC " + afterFullGc + " MB; max after any GC "
                    + ChildGcLog.maxAfterGc(gcLog) + " MB; peak RSS " + peakRss + " MB";
            System.out.println("ScratchBuiltDocumentsTest: " + result + "; " + figures);
            assertTrue(afterFullGc < 24, figures);
            assertFalse(output.toString().contains("OutOfMemoryError"), output.toString());
            assertFalse(Files.exists(tmp.resolve("oom.hprof")), "the child ran out of heap");
        } finally {
            child.toHandle().destroy();
            child.waitFor(30, TimeUnit.SECONDS);
            child.destroyForcibly();
        }
    }

    private static String expected(Document d) {
        return "[text " + d.textChars() + " chars, " + d.items() + " items]";
    }

    /** About 40 MB: {"Text": 30 MB of escapes and multi-byte text, "Items": [{"I":n,"S":"vn"}...]}. */
    private static Document document(int seed) {
        byte[] json = new byte[DOCUMENT_BYTES + 1024];
        SplittableRandom random = new SplittableRandom(seed);
        int n = put(json, 0, "{\"Text\":\"");
        long chars = 0;
        while (n < TEXT_BYTES) {
            int u = random.nextInt(UNITS.length);
            System.arraycopy(UNITS[u], 0, json, n, UNITS[u].length);
            n += UNITS[u].length;
            chars += UNIT_CHARS[u];
        }
        n = put(json, n, "\",\"Items\":[");
        int items = 0;
        while (n < DOCUMENT_BYTES - 64) {
            n = put(json, n, (items == 0 ? "" : ",") + "{\"I\":" + items + ",\"S\":\"v" + items + "\"}");
            items++;
        }
        n = put(json, n, "]}");
        return new Document(java.util.Arrays.copyOf(json, n), chars, items);
    }

    private static int put(byte[] into, int at, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(b, 0, into, at, b.length);
        return at + b.length;
    }

    private static void join(List<Thread> threads) throws InterruptedException {
        for (Thread t : threads) {
            t.join();
        }
        threads.clear();
    }

    private static int put(HttpClient http, String url, String id, byte[] body) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url + "/databases/default/docs?id=" + id))
                    .timeout(Duration.ofSeconds(120)).PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    /** GETs the document and parses it as it streams in: the text's length in chars and the items counted. */
    private static String get(HttpClient http, String url, String id) {
        try {
            HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(URI.create(url
                    + "/databases/default/docs?id=" + id)).timeout(Duration.ofSeconds(120)).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            if (r.statusCode() != 200) {
                r.body().close();
                return "status " + r.statusCode();
            }
            JsonFactory json = JsonFactory.builder().streamReadConstraints(StreamReadConstraints.builder()
                    .maxStringLength(Integer.MAX_VALUE).build()).build();
            long chars = -1;
            int items = 0;
            try (InputStream in = r.body(); JsonParser p = json.createParser(in)) {
                for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                    if (t == JsonToken.FIELD_NAME && p.getParsingContext().getParent().inRoot()) {
                        String name = p.currentName();
                        p.nextToken();
                        if (name.equals("Text")) {
                            chars = p.getTextLength();
                        } else if (name.equals("Items")) {
                            while (p.nextToken() == JsonToken.START_OBJECT) {
                                p.skipChildren();
                                items++;
                            }
                        } else {
                            p.skipChildren();
                        }
                    }
                }
            }
            return "[text " + chars + " chars, " + items + " items]";
        } catch (Exception e) {
            return "failed: " + e;
        }
    }



    /** The child's peak resident set (VmHWM), or -1 where /proc is not there. */
    private static long peakRssMegabytes(Process child) throws Exception {
        Path status = Path.of("/proc", Long.toString(child.pid()), "status");
        if (!Files.exists(status)) {
            return -1;
        }
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
            }
        }
        return -1;
    }

}

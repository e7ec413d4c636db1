package dev.blitdb.server.http;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 32 client threads doing mixed PUT / GET / DELETE for a while on one database. Each thread owns its ids and
 * keeps what the server acknowledged; every read must see exactly the last acknowledged write, and after the run
 * (and after a restart) every acknowledged write is readable and every acknowledged delete gone.
 */
class MixedLoadTest {

    private static final int THREADS = 32;
    private static final int IDS_PER_THREAD = 64;
    private static final Duration RUN = Duration.ofSeconds(Long.getLong("blitdb.load.seconds", 12));

    @TempDir
    Path tmp;

    @Test
    void shouldServeMixedLoadWithoutErrorsAndLoseNoAcknowledgedWrite() throws Exception {
        TestServer server = TestServer.start(tmp.resolve("data"));
        List<Map<String, Long>> acknowledged = new ArrayList<>();
        ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
        AtomicLong operations = new AtomicLong();
        try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build()) {
            long deadline = System.nanoTime() + RUN.toNanos();
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                Map<String, Long> mine = new HashMap<>();
                acknowledged.add(mine);
                int thread = t;
                threads.add(Thread.ofPlatform().name("load-" + t).start(() ->
                        run(http, server.server.url(), thread, mine, deadline, errors, operations)));
            }
            for (Thread thread : threads) {
                thread.join();
            }
        }
        assertTrue(errors.isEmpty(), errors.size() + " errors, first: " + errors.peek());
        assertTrue(operations.get() > THREADS * 20L, "only " + operations.get() + " operations");
        System.out.println("mixed load: " + operations.get() + " operations in " + RUN.toSeconds() + " s");

        verify(server, acknowledged);
        try (TestServer restarted = server.restart()) {
            verify(restarted, acknowledged);
        }
    }

    private static void run(HttpClient http, String base, int thread, Map<String, Long> mine, long deadline,
                            ConcurrentLinkedQueue<String> errors, AtomicLong operations) {
        var random = new SplittableRandom(thread);
        String filler = "x".repeat(200 + random.nextInt(800));
        long version = 0;
        try {
            while (System.nanoTime() < deadline && errors.isEmpty()) {
                String id = "load/" + thread + "/" + random.nextInt(IDS_PER_THREAD);
                URI uri = URI.create(base + "/databases/default/docs?id=" + id);
                int dice = random.nextInt(100);
                if (dice < 45) {
                    version++;
                    String body = "{\"Thread\":" + thread + ",\"Version\":" + version + ",\"Filler\":\"" + filler
                            + "\",\"@metadata\":{\"@collection\":\"Load\"}}";
                    var r = http.send(HttpRequest.newBuilder(uri).PUT(HttpRequest.BodyPublishers.ofString(body))
                            .build(), HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() != 201) {
                        errors.add("PUT " + id + " -> " + r.statusCode() + " " + r.body());
                    } else {
                        mine.put(id, version);
                    }
                } else if (dice < 85) {
                    var r = http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
                    String problem = check(id, mine.get(id), r);
                    if (problem != null) {
                        errors.add(problem);
                    }
                } else {
                    var r = http.send(HttpRequest.newBuilder(uri).DELETE().build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() != 204) {
                        errors.add("DELETE " + id + " -> " + r.statusCode() + " " + r.body());
                    } else {
                        mine.remove(id);
                    }
                }
                operations.incrementAndGet();
            }
        } catch (Exception e) {
            errors.add("thread " + thread + ": " + e);
        }
    }

    private static String check(String id, Long expectedVersion, HttpResponse<String> r) {
        if (expectedVersion == null) {
            return r.statusCode() == 404 ? null : "GET " + id + " expected 404, got " + r.statusCode() + " " + r.body();
        }
        if (r.statusCode() != 200) {
            return "GET " + id + " expected version " + expectedVersion + ", got " + r.statusCode() + " " + r.body();
        }
        return r.body().contains("\"Version\":" + expectedVersion + ",") ? null
                : "GET " + id + " expected version " + expectedVersion + ", got " + r.body();
    }

    private static void verify(TestServer server, List<Map<String, Long>> acknowledged) throws Exception {
        long present = 0;
        for (int t = 0; t < THREADS; t++) {
            for (int k = 0; k < IDS_PER_THREAD; k++) {
                String id = "load/" + t + "/" + k;
                String problem = check(id, acknowledged.get(t).get(id), server.getDoc("default", id));
                assertEquals(null, problem);
                if (acknowledged.get(t).containsKey(id)) {
                    present++;
                }
            }
        }
        var stats = TestServer.json(server.get("/databases/default/collections/stats"));
        assertEquals(present, stats.get("Collections").path("Load").asLong());
    }
}

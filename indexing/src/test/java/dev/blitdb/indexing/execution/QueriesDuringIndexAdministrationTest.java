package dev.blitdb.indexing.execution;

import dev.blitdb.indexing.lucene.FaultyDirectory;
import dev.blitdb.indexing.manager.IndexManager;
import dev.blitdb.storage.documents.DocumentStore;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Queries never wait on another index's administration: while index B is created, reset and deleted in a loop —
 * each creation holding the manager's admin lock across a synced commit of more than a second — queries on index
 * A keep their latency.
 */
class QueriesDuringIndexAdministrationTest extends IndexingTestBase {

    private final FaultyDirectory.Faults slowForB = new FaultyDirectory.Faults();

    @Override
    void open() throws Exception {
        store = DocumentStore.open(folder.resolve("db"));
        var plain = dev.blitdb.indexing.lucene.LuceneIndex.DirectoryFactory.MMAP;
        var slow = slowForB.factory();
        indexes = IndexManager.open("db", store, folder.resolve("db").resolve("indexes"), spawner,
                SMALL_BATCHES.withDirectories(dir -> dir.getFileName().toString().startsWith("slow")
                        ? slow.open(dir) : plain.open(dir)));
    }

    @Test
    void shouldAnswerQueriesOnOneIndexWhileAnotherIsCreatedResetAndDeleted() throws Exception {
        define("{\"Name\":\"Users/ByCity\",\"Collection\":\"Users\",\"Fields\":{\"City\":{\"Path\":\"Address.City\","
                + "\"Type\":\"Keyword\"}}}");
        for (int i = 0; i < 40; i++) {
            put("users/" + i, user("U" + i, 20 + i, i % 2 == 0 ? "Paris" : "Oslo"));
        }
        assertEquals(20, ids("from index 'Users/ByCity' where City = 'Paris'").size());
        slowForB.syncDelayMillis = 700; // a commit of index B syncs twice: well over a second

        AtomicBoolean done = new AtomicBoolean();
        List<Long> adminMillis = new ArrayList<>();
        CompletableFuture<Void> admin = CompletableFuture.runAsync(() -> {
            try {
                for (int round = 0; round < 2; round++) {
                    long t0 = System.nanoTime();
                    define("{\"Name\":\"Slow/ByName\",\"Collection\":\"Users\",\"Fields\":{\"Name\":{\"Path\":\"Name\","
                            + "\"Type\":\"Keyword\"}}}");
                    long t1 = System.nanoTime();
                    indexes.reset("Slow/ByName");
                    long t2 = System.nanoTime();
                    indexes.delete("Slow/ByName");
                    long t3 = System.nanoTime();
                    synchronized (adminMillis) {
                        adminMillis.add((t1 - t0) / 1_000_000);
                        adminMillis.add((t2 - t1) / 1_000_000);
                        adminMillis.add((t3 - t2) / 1_000_000);
                    }
                }
            } catch (Exception e) {
                throw new RuntimeException(e);
            } finally {
                done.set(true);
            }
        });

        long worstMillis = 0;
        int queries = 0;
        while (!done.get()) {
            long t0 = System.nanoTime();
            var answer = query("from index 'Users/ByCity' where City = 'Oslo'", Map.of(), false);
            worstMillis = Math.max(worstMillis, (System.nanoTime() - t0) / 1_000_000);
            assertEquals(20, answer.result().totalResults());
            assertFalse(answer.result().isStale());
            queries++;
        }
        admin.get(30, TimeUnit.SECONDS);
        long slowestAdmin = adminMillis.stream().mapToLong(Long::longValue).max().orElseThrow();
        assertTrue(slowestAdmin > 1_000, "the admin operations must be slow for this test to mean anything: "
                + adminMillis);
        assertTrue(worstMillis < 500, "a query on index A waited " + worstMillis + " ms while index B was "
                + "administered (admin ms " + adminMillis + ", " + queries + " queries)");
        assertTrue(queries > 10, "queries ran meanwhile: " + queries);
    }
}

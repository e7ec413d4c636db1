package dev.blitdb.indexing.execution;

import dev.blitdb.indexing.manager.IndexManager;
import dev.blitdb.storage.documents.DocumentCommand;
import dev.blitdb.storage.documents.DocumentStore;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * While a worker is behind (a rebuild), it commits its progress only every {@code behindCommitInterval}; once it
 * has caught up, the short {@code commitInterval} applies again and the end of the build is committed on time.
 */
class BehindCommitIntervalTest extends IndexingTestBase {

    private static final Duration CAUGHT_UP = Duration.ofMillis(50);

    @Override
    void open() throws Exception {
        store = DocumentStore.open(folder.resolve("db"));
        indexes = IndexManager.open("db", store, folder.resolve("db").resolve("indexes"), spawner,
                SMALL_BATCHES.withCommitInterval(CAUGHT_UP).withBehindCommitInterval(Duration.ofHours(1)));
    }

    @Test
    void shouldNotCommitWhileRebuildingButCommitOnceCaughtUp() throws Exception {
        var commands = new ArrayList<DocumentCommand>();
        for (int i = 0; i < 20_000; i++) {
            byte[] json = user("U" + i, i % 50, i % 2 == 0 ? "Paris" : "Oslo").getBytes(StandardCharsets.UTF_8);
            commands.add(new DocumentCommand.Put("users/" + i, writer.convert(json, 0, json.length).toByteArray(), null));
            if (commands.size() == 2_000) {
                store.batch(commands).join();
                commands.clear();
            }
        }
        long started = System.nanoTime();
        define("{\"Name\":\"Users/ByCity\",\"Collection\":\"Users\",\"Fields\":{\"City\":{\"Path\":\"Address.City\","
                + "\"Type\":\"Keyword\"}}}");
        Answer built = query("from index 'Users/ByCity' where City = 'Paris' limit 0", java.util.Map.of(), true);
        assertEquals(10_000, built.result().totalResults());
        assertTrue(!built.result().isStale(), "caught up");
        var worker = indexes.require("Users/ByCity");
        long rebuildMillis = (System.nanoTime() - started) / 1_000_000;
        long batches = worker.stats().batches();
        assertTrue(batches >= 20_000 / 64, "small batches: " + batches);
        // Hundreds of batches over far more than the 50 ms caught-up interval, yet at most the last batch (the
        // one that caught up) committed.
        assertTrue(worker.commits() <= 1, worker.commits() + " commits during a rebuild of " + rebuildMillis
                + " ms in " + batches + " batches");
        var lucene = worker.lucene();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!lucene.committedProgress().equals(lucene.progress()) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(lucene.progress(), lucene.committedProgress(), "caught up: committed on the short interval");
        assertEquals(20_000, lucene.committedProgress().lastDocumentEtag());
    }
}

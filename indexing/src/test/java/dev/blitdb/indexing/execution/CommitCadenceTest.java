package dev.blitdb.indexing.execution;

import dev.blitdb.indexing.manager.IndexManager;
import dev.blitdb.storage.documents.DocumentStore;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Batches do not commit: a caught-up worker makes its work visible at once (near-real-time refresh) and commits it
 * on the timer, even when no further write comes; a rebuild commits far fewer times than it has batches.
 */
class CommitCadenceTest extends IndexingTestBase {

    @Override
    void open() throws Exception {
        store = DocumentStore.open(folder.resolve("db"));
        indexes = IndexManager.open("db", store, folder.resolve("db").resolve("indexes"), spawner,
                SMALL_BATCHES.withCommitInterval(INTERVAL));
    }

    private static final Duration INTERVAL = Duration.ofSeconds(4);

    private static void awaitCommitted(dev.blitdb.indexing.lucene.LuceneIndex lucene) throws InterruptedException {
        long deadline = System.nanoTime() + INTERVAL.multipliedBy(3).toNanos();
        while (!lucene.committedProgress().equals(lucene.progress()) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(lucene.progress(), lucene.committedProgress(), "committed within the interval, unprompted");
    }

    @Test
    void shouldShowWorkAtOnceAndCommitItOnTheTimer() throws Exception {
        var commands = new java.util.ArrayList<dev.blitdb.storage.documents.DocumentCommand>();
        for (int i = 0; i < 1_000; i++) {
            byte[] json = user("U" + i, i % 50, i % 2 == 0 ? "Paris" : "Oslo").getBytes(
                    java.nio.charset.StandardCharsets.UTF_8);
            commands.add(new dev.blitdb.storage.documents.DocumentCommand.Put("users/" + i,
                    writer.convert(json, 0, json.length).toByteArray(), null));
        }
        store.batch(commands).join(); // one commit: etags 1..1000
        define("{\"Name\":\"Users/ByCity\",\"Collection\":\"Users\",\"Fields\":{\"City\":{\"Path\":\"Address.City\","
                + "\"Type\":\"Keyword\"}}}");
        assertEquals(500, ids("from index 'Users/ByCity' where City = 'Paris'").size());
        var worker = indexes.require("Users/ByCity");
        long batches = worker.stats().batches();
        assertTrue(batches >= 1_000 / 64, "small batches: " + batches);
        assertTrue(worker.commits() < batches / 2, worker.commits() + " commits for " + batches + " batches");

        var lucene = worker.lucene();
        awaitCommitted(lucene); // the timer commits the end of the build without another write
        long committedAt = System.nanoTime();
        put("users/5000", user("New", 1, "Paris"));
        assertEquals(501, ids("from index 'Users/ByCity' where City = 'Paris'").size(), "visible at once");
        if (System.nanoTime() - committedAt < INTERVAL.minusMillis(500).toNanos()) {
            // Within the interval of the last commit the new entry is only refreshed, not committed (no fsync).
            assertNotEquals(lucene.progress(), lucene.committedProgress());
        }
        awaitCommitted(lucene);
        assertEquals(1_001, lucene.committedProgress().lastDocumentEtag(), "the timer committed the last write");

        closeStoreAndIndexes();
        open();
        var reopened = indexes.require("Users/ByCity");
        assertEquals(501, ids("from index 'Users/ByCity' where City = 'Paris'").size());
        assertEquals(0, reopened.stats().documentsIndexed(), "resumed from the commit, nothing redone");
    }
}

package dev.blitdb.indexing.execution;

import dev.blitdb.indexing.lucene.FaultyDirectory;
import dev.blitdb.indexing.manager.IndexManager;
import dev.blitdb.indexing.worker.IndexState;
import dev.blitdb.storage.documents.DocumentStore;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A batch that fails inside Lucene (a failed sync during commit, which leaves the writer holding the batch's
 * entries; a failed file creation during a flush, which closes the writer for good) is retried after the writer
 * is rolled back to its last commit and reopened: afterwards every query equals a brute-force answer — no
 * duplicate entries, no index stuck failing until a restart.
 */
class IndexRecoveryTest extends IndexingTestBase {

    private final FaultyDirectory.Faults faults = new FaultyDirectory.Faults();

    @Override
    void open() throws Exception {
        store = DocumentStore.open(folder.resolve("db"));
        indexes = IndexManager.open("db", store, folder.resolve("db").resolve("indexes"), spawner,
                SMALL_BATCHES.withCommitInterval(Duration.ZERO).withDirectories(faults.factory()));
    }

    private final Map<String, String[]> model = new TreeMap<>(); // lowercased id → {id, city}

    private void write(SplittableRandom random, int count) {
        String[] cities = {"Paris", "Oslo", "Rome", "Lima"};
        for (int i = 0; i < count; i++) {
            String id = "users/" + random.nextInt(400);
            if (random.nextInt(10) == 0 && model.containsKey(id)) {
                delete(id);
                model.remove(id);
                continue;
            }
            String city = cities[random.nextInt(cities.length)];
            put(id, user("N" + i, random.nextInt(90), city));
            model.put(id, new String[]{id, city});
        }
    }

    private void assertMatchesBruteForce(String when) throws Exception {
        assertEquals(model.size(), query("from index 'Users/ByCity'", Map.of(), true).result().totalResults(),
                when + ": every document once");
        for (String city : List.of("Paris", "Oslo", "Rome", "Lima")) {
            List<String> expected = new ArrayList<>();
            for (String[] doc : model.values()) {
                if (doc[1].equals(city)) {
                    expected.add(doc[0]);
                }
            }
            Answer answer = query("from index 'Users/ByCity' where City = $c", Map.of("c", city), true);
            assertFalse(answer.result().isStale(), when + ": caught up after recovery");
            assertEquals(expected.size(), answer.result().totalResults(), when + ": TotalResults for " + city);
            assertEquals(expected, answer.ids(), when + ": results for " + city);
        }
    }

    @Test
    void shouldRollBackAndRetryAFailedBatchSoQueriesMatchBruteForce() throws Exception {
        SplittableRandom random = new SplittableRandom(11);
        write(random, 300); // before the index exists: the build adds entries without a delete-by-id
        faults.failSegmentSync.set(1); // the first commit with entries fails after its segment was flushed
        define("{\"Name\":\"Users/ByCity\",\"Collection\":\"Users\",\"Fields\":{\"City\":{\"Path\":\"Address.City\","
                + "\"Type\":\"Keyword\"}}}");
        assertMatchesBruteForce("after a failed commit during the build");
        assertEquals(0, faults.failSegmentSync.get(), "the commit fault was hit");

        faults.failCreateOutput.set(1); // the next flush fails: a tragic error closes the writer
        write(random, 200);
        assertMatchesBruteForce("after a failed flush");

        faults.failSync.set(2);
        faults.failCreateOutput.set(1);
        write(random, 200);
        assertMatchesBruteForce("after several failures in a row");

        assertTrue(faults.injected.get() >= 4, "faults were injected: " + faults.injected.get());
        var stats = indexes.require("Users/ByCity").stats();
        assertEquals(IndexState.IDLE, stats.state());
        assertEquals(model.size(), stats.entries());

        closeStoreAndIndexes(); // and a restart resumes from the last commit with the same answers
        open();
        assertMatchesBruteForce("after a restart");
    }
}

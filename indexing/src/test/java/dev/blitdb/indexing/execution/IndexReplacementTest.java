package dev.blitdb.indexing.execution;

import dev.blitdb.indexing.manager.IndexManager;
import dev.blitdb.indexing.worker.IndexWorker;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A changed definition builds side by side; queries never see a half-built index. */
class IndexReplacementTest extends IndexingTestBase {

    private static final int DOCS = 640;
    private static final String V1 = "{\"Name\":\"Users/Q\",\"Collection\":\"Users\",\"Fields\":{"
            + "\"Name\":{\"Path\":\"Name\",\"Type\":\"Keyword\"}}}";
    private static final String V2 = "{\"Name\":\"Users/Q\",\"Collection\":\"Users\",\"Fields\":{"
            + "\"Name\":{\"Path\":\"Name\",\"Type\":\"Keyword\"},\"Age\":{\"Path\":\"Age\",\"Type\":\"Long\"}}}";
    private static final String REPLACEMENT = "ReplacementOf/Users/Q";

    private void load() throws Exception {
        putAll("C");
        define(V1);
        assertTrue(indexes.require("Users/Q").awaitNonStale(Long.MAX_VALUE, TimeUnit.SECONDS.toNanos(60)));
    }

    /** Every user written at once, so group commit makes a few commits of them rather than one each. */
    private void putAll(String city) {
        List<java.util.concurrent.CompletableFuture<?>> writes = new ArrayList<>();
        for (int i = 0; i < DOCS; i++) {
            byte[] json = user("u" + i, i % 90, city == null ? "C" + (i % 7) : city)
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8);
            writes.add(store.put("users/" + i, writer.convert(json, 0, json.length).toByteArray(), null));
        }
        writes.forEach(java.util.concurrent.CompletableFuture::join);
    }

    private void awaitSwap() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (indexes.find(REPLACEMENT).isPresent()) {
            assertTrue(System.nanoTime() < deadline, "the replacement never took over");
            Thread.sleep(20);
        }
    }

    @Test
    void shouldAnswerEveryQueryCompletelyFromOneVersionWhileTheNewOneBuilds() throws Exception {
        load();
        IndexWorker v1 = indexes.require("Users/Q");
        AtomicBoolean stop = new AtomicBoolean();
        List<String> wrong = new ArrayList<>();
        int[] queries = {0};
        Thread reader = Thread.ofPlatform().start(() -> {
            try {
                while (!stop.get()) {
                    Answer a = query("from index 'Users/Q'", Map.of(), false);
                    queries[0]++;
                    Thread.sleep(2); // leave the (lower-priority) index threads the CPU
                    if (a.result().totalResults() != DOCS || a.ids().size() != Math.min(DOCS, 128) && a.ids().isEmpty()
                            || a.result().isStale() || !"Users/Q".equals(a.result().indexName())) {
                        wrong.add(a.result().toString());
                    }
                }
            } catch (Exception e) {
                wrong.add(e.toString());
            }
        });
        Thread.sleep(50);
        Map<String, IndexManager.PutOutcome> outcome = indexes.put(List.of(parse(V2)));
        assertEquals(IndexManager.PutOutcome.REPLACING, outcome.get("Users/Q"));
        assertTrue(indexes.find(REPLACEMENT).isPresent(), "the new version builds as " + REPLACEMENT);
        assertEquals(1, indexes.require("Users/Q").definition().fields().size(), "queries still use the old one");
        awaitSwap();
        Thread.sleep(100);
        stop.set(true);
        reader.join();
        assertEquals(List.of(), wrong, "every query saw a complete version (" + queries[0] + " queries)");
        assertTrue(queries[0] > 5, "queries ran during the build: " + queries[0]);

        IndexWorker v2 = indexes.require("Users/Q");
        assertFalse(v1 == v2);
        assertEquals(2, v2.definition().fields().size());
        assertEquals("Users/Q", v2.definition().name());
        assertEquals(DOCS / 90 + 1, ids("from index 'Users/Q' where Age = 5").size());
        assertEquals(1, indexes.definitions().stream().filter(d -> d.name().startsWith("Users")).count());
    }

    @Test
    void shouldStartAReplacementPausedWhileTheDatabaseIndexingIsPausedAndBuildItOnceResumed() throws Exception {
        load();
        indexes.stop(null);
        assertTrue(indexes.isIndexingPaused());
        indexes.put(List.of(parse(V2)));
        IndexWorker replacement = indexes.require(REPLACEMENT);
        assertTrue(replacement.isPaused(), "created while indexing is paused");
        Thread.sleep(300);
        assertTrue(indexes.find(REPLACEMENT).isPresent(), "a paused replacement never takes over");
        assertEquals(1, indexes.require("Users/Q").definition().fields().size());
        indexes.start(null);
        assertFalse(indexes.isIndexingPaused());
        awaitSwap();
        assertEquals(2, indexes.require("Users/Q").definition().fields().size(), "built and swapped in once resumed");
    }

    @Test
    void shouldKeepTheOldVersionWhenTheReplacementIsDeleted() throws Exception {
        load();
        indexes.put(List.of(parse(V2)));
        IndexWorker building = indexes.require(REPLACEMENT);
        building.pause(); // so it cannot finish before the cancel
        indexes.delete(REPLACEMENT);
        assertTrue(indexes.find(REPLACEMENT).isEmpty());
        assertEquals(1, indexes.require("Users/Q").definition().fields().size());
        assertEquals(DOCS, query("from index 'Users/Q'", Map.of(), true).result().totalResults());
        try (var folders = Files.list(folder.resolve("db").resolve("indexes"))) {
            assertEquals(1, folders.count(), "the replacement's files are gone");
        }
    }

    @Test
    void shouldResumeAReplacementAfterARestartAndKeepTheSwappedIndexAfterAnother() throws Exception {
        load();
        indexes.put(List.of(parse(V2)));
        indexes.require(REPLACEMENT).pause();
        closeStoreAndIndexes();
        open();
        assertTrue(indexes.find(REPLACEMENT).isPresent(), "the replacement survives a restart");
        assertEquals(1, indexes.require("Users/Q").definition().fields().size());
        awaitSwap();
        assertEquals(2, indexes.require("Users/Q").definition().fields().size());
        closeStoreAndIndexes();
        open();
        IndexWorker reopened = indexes.require("Users/Q");
        assertEquals(2, reopened.definition().fields().size());
        assertEquals(DOCS, reopened.stats().entries(), "the swapped-in files are found again, not rebuilt");
        try (var reader = store.beginRead()) {
            assertFalse(reopened.isStale(reader, reader.lastEtag()));
        }
    }

    @Test
    void shouldReplaceAgainWhenChangedWhileBuildingAndCancelWhenPutBack() throws Exception {
        load();
        indexes.put(List.of(parse(V2)));
        indexes.require(REPLACEMENT).pause();
        assertEquals(IndexManager.PutOutcome.UNCHANGED, indexes.put(List.of(parse(V1))).get("Users/Q"));
        assertTrue(indexes.find(REPLACEMENT).isEmpty(), "putting the current definition back cancels");
    }

    @Test
    void shouldKeepTheNarrowAutomaticIndexAnsweringUntilTheWiderOneCaughtUp() throws Exception {
        putAll(null);
        assertEquals(1, ids("from Users where Name = 'u7'").size());
        String narrow = indexes.definitions().getFirst().name();
        // Widen: a query on another field creates a wider automatic index.
        query("from Users where Address.City = 'C1'", Map.of(), false);
        String wide = indexes.definitions().stream().map(d -> d.name()).filter(n -> !n.equals(narrow))
                .findFirst().orElseThrow();
        boolean sawNarrow = false;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (indexes.find(narrow).isPresent()) {
            Answer a = query("from Users where Name = 'u7'", Map.of(), false);
            assertEquals(1, a.result().totalResults(), "complete answer from " + a.result().indexName());
            assertFalse(a.result().isStale(), a.result().toString());
            sawNarrow |= narrow.equals(a.result().indexName());
            Thread.sleep(5); // leave the (lower-priority) index threads the CPU
            assertTrue(System.nanoTime() < deadline, "the narrow index was never retired");
        }
        assertTrue(sawNarrow, "queries used the narrow index while the wide one was building");
        Answer after = query("from Users where Name = 'u7'", Map.of(), false);
        assertEquals(wide, after.result().indexName());
        assertEquals(1, after.result().totalResults());
    }

    private static dev.blitdb.indexing.definition.IndexDefinition parse(String json) {
        byte[] b = json.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return dev.blitdb.indexing.definition.IndexDefinitionJson.parse(b, 0, b.length).getFirst();
    }
}

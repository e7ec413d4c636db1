package dev.blitdb.indexing.execution;

import dev.blitdb.indexing.definition.IndexPriority;
import dev.blitdb.indexing.manager.IndexNotFoundException;
import dev.blitdb.indexing.query.QueryException;
import dev.blitdb.indexing.worker.IndexStats;
import dev.blitdb.indexing.worker.IndexWorker;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IndexingEndToEndTest extends IndexingTestBase {

    private static final String BY_CITY = """
            {"Name":"Users/ByCity","Collection":"Users","Fields":{"City":{"Path":"Address.City","Type":"Keyword"},
            "Age":{"Path":"Age","Type":"Long"},"Tags":{"Path":"Tags[]","Type":"Keyword"},"Name":{"Path":"Name","Type":"Keyword"}},
            "Priority":"Normal"}""";

    @Test
    void shouldIndexQueryUpdateAndDelete() throws Exception {
        put("users/1", user("Ann", 34, "Paris", "a", "b"));
        put("users/2", user("Bob", 25, "Oslo", "b"));
        put("users/3", user("Cid", 41, "Paris"));
        put("orders/1", "{\"City\":\"Paris\",\"@metadata\":{\"@collection\":\"Orders\"}}");
        define(BY_CITY);

        assertEquals(List.of("users/1", "users/3"), ids("from index 'Users/ByCity' where City = 'Paris'"));
        assertEquals(List.of("users/3", "users/1"),
                ids("from index 'Users/ByCity' where City = 'Paris' order by Age desc"));
        assertEquals(List.of("users/1", "users/2"), ids("from index 'Users/ByCity' where Tags = 'b'"));
        Answer paged = query("from index 'Users/ByCity' order by Name limit 1 offset 1", Map.of(), true);
        assertEquals(List.of("users/2"), paged.ids());
        assertEquals(3, paged.result().totalResults());
        assertEquals("Users/ByCity", paged.result().indexName());

        put("users/2", user("Bob", 26, "Paris"));
        delete("users/1");
        assertEquals(List.of("users/2", "users/3"), ids("from index 'Users/ByCity' where City = 'Paris'"));
        assertEquals(List.of(), ids("from index 'Users/ByCity' where Tags = 'b'"));

        // deleted and put again with another casing: the later put outranks the tombstone
        put("USERS/1", user("Ann", 35, "Paris"));
        assertEquals(List.of("USERS/1", "users/2", "users/3"), ids("from index 'Users/ByCity' where City = 'Paris'"));
    }

    @Test
    void shouldResumeAfterRestartWithoutRebuilding() throws Exception {
        define(BY_CITY);
        for (int i = 0; i < 300; i++) {
            put("users/" + i, user("U" + i, i % 90, i % 2 == 0 ? "Paris" : "Oslo"));
        }
        assertEquals(150, query("from index 'Users/ByCity' where City = 'Paris'", Map.of(), true).result().totalResults());
        IndexStats before = indexes.require("Users/ByCity").stats();
        assertEquals(300, before.documentsIndexed());
        assertTrue(before.batches() >= 300 / 64, "small batches: " + before.batches());

        closeStoreAndIndexes();
        open();
        IndexWorker reopened = indexes.require("users/bycity");
        assertEquals(before.lastDocumentEtag(), reopened.lucene().progress().lastDocumentEtag());
        assertFalse(reopened.lucene().startedOver());
        assertEquals(150, query("from index 'Users/ByCity' where City = 'Paris'", Map.of(), true).result().totalResults());
        put("users/0", user("U0", 1, "Oslo"));
        delete("users/2");
        assertEquals(148, query("from index 'Users/ByCity' where City = 'Paris'", Map.of(), true).result().totalResults());
        IndexStats after = reopened.stats();
        assertEquals(1, after.documentsIndexed(), "only the new write was indexed after the restart");
        assertEquals(1, after.tombstonesApplied());
        assertEquals(IndexPriority.NORMAL, after.priority());
    }

    @Test
    void shouldRecordDocumentsThatDoNotFitAndGoOn() throws Exception {
        define(BY_CITY);
        put("users/1", user("Ann", 34, "Paris"));
        put("users/bad", "{\"Name\":\"Bad\",\"Age\":\"old\",\"Address\":{\"City\":\"Paris\"},\"@metadata\":{\"@collection\":\"Users\"}}");
        put("users/2", user("Bob", 25, "Paris"));
        assertEquals(List.of("users/1", "users/2"), ids("from index 'Users/ByCity' where City = 'Paris'"));
        var errors = indexes.require("Users/ByCity").errors().recent();
        assertEquals(1, errors.size());
        assertEquals("users/bad", errors.getFirst().documentId());
        assertTrue(errors.getFirst().message().contains("field 'Age' (path Age) is Long but the document has the string 'old'"),
                errors.getFirst().message());
        assertEquals(1, indexes.require("Users/ByCity").stats().errors());
    }

    @Test
    void shouldPrefetchTheBatchAhead() throws Exception {
        for (int i = 0; i < 500; i++) {
            put("users/" + i, user("U" + i, i, "City" + (i % 7)));
        }
        long adviceBefore = store.engine().adviceStats().calls();
        define(BY_CITY);
        assertEquals(500, query("from index 'Users/ByCity'", Map.of(), true).result().totalResults());
        IndexStats stats = indexes.require("Users/ByCity").stats();
        assertTrue(stats.prefetchCalls() >= 500 / 16, "prefetch calls: " + stats.prefetchCalls());
        assertTrue(stats.prefetchedDocuments() >= 500 - 16, "documents advised: " + stats.prefetchedDocuments());
        assertTrue(store.engine().adviceStats().calls() > adviceBefore, "madvise calls counted by the engine");
    }

    @Test
    void shouldCreateAndWidenAutomaticIndexes() throws Exception {
        put("users/1", user("Ann", 34, "Paris"));
        put("users/2", user("Bob", 25, "Oslo"));
        put("users/3", user("Cid", 41, "Paris"));
        assertEquals(List.of("users/1", "users/3"), ids("from Users where Age > 30"));
        assertEquals(List.of("Auto/Users/ByAge"), indexes.definitions().stream().map(d -> d.name()).toList());
        assertEquals(List.of("users/3", "users/1"), ids("from Users where Address.City = 'Paris' order by Age desc"));
        awaitGone("Auto/Users/ByAge"); // kept answering until the wider one caught up (IndexReplacementTest)
        assertEquals(List.of("Auto/Users/ByAddress.CityAndAge"),
                indexes.definitions().stream().map(d -> d.name()).toList(), "widened, the narrower one dropped");
        assertEquals(List.of("users/1", "users/2", "users/3"), ids("from Users"), "no filter: a collection walk");
        Answer walk = query("from Users limit 1 offset 1", Map.of(), false);
        assertEquals(List.of("users/2"), walk.ids());
        assertEquals(3, walk.result().totalResults());
        assertEquals(null, walk.result().indexName());
        var conflict = assertThrows(QueryException.class, () -> ids("from Users where Age = 'x' and Age > 3"));
        assertTrue(conflict.getMessage().contains("create a static index"), conflict.getMessage());
    }

    @Test
    void shouldReportStalenessAndTimeOutWhenPaused() throws Exception {
        define(BY_CITY);
        put("users/1", user("Ann", 34, "Paris"));
        assertEquals(List.of("users/1"), ids("from index 'Users/ByCity' where City = 'Paris'"));
        indexes.stop("Users/ByCity");
        Thread.sleep(100);
        put("users/2", user("Bob", 25, "Paris"));
        Answer stale = query("from index 'Users/ByCity' where City = 'Paris'", Map.of(), false);
        assertTrue(stale.result().isStale());
        assertEquals(List.of("users/1"), stale.ids());
        List<String> reasons = indexes.require("Users/ByCity").stalenessReasons();
        assertTrue(reasons.getFirst().startsWith("The index is paused"), reasons.toString());
        assertTrue(reasons.get(1).startsWith("1 document(s) of collection 'Users' are not indexed yet"), reasons.toString());

        long t0 = System.nanoTime();
        List<String> ids = new java.util.ArrayList<>();
        QueryResult timedOut = new QueryExecutor(indexes).execute(
                dev.blitdb.indexing.query.rql.RqlParser.parse("from index 'Users/ByCity' where City = 'Paris'"),
                dev.blitdb.indexing.query.QueryParameters.NONE,
                new QueryExecutor.Options(true, java.time.Duration.ofMillis(300)), d -> ids.add(d.id()));
        assertTrue(timedOut.isStale(), "a time-out answers stale results, not an error");
        assertTrue(System.nanoTime() - t0 >= 300_000_000L);
        indexes.start("Users/ByCity");
        assertEquals(List.of("users/1", "users/2"), ids("from index 'Users/ByCity' where City = 'Paris'"));
        assertTrue(indexes.require("Users/ByCity").stalenessReasons().isEmpty());
    }

    @Test
    void shouldChangeDefinitionsPrioritiesAndDropIndexes() throws Exception {
        define(BY_CITY);
        put("users/1", user("Ann", 34, "Paris"));
        assertEquals(List.of("users/1"), ids("from index 'Users/ByCity' where City = 'Paris'"));
        indexes.setPriority(List.of("users/bycity"), IndexPriority.LOW);
        assertEquals(IndexPriority.LOW, indexes.require("Users/ByCity").definition().priority());
        assertThrows(IndexNotFoundException.class, () -> indexes.setPriority(List.of("Users/ByCity", "Nope"),
                IndexPriority.HIGH));
        assertEquals(IndexPriority.LOW, indexes.require("Users/ByCity").definition().priority(), "all or nothing");

        define(BY_CITY.replace("\"Address.City\"", "\"Name\"")); // City now reads Name: built side by side
        awaitGone("ReplacementOf/Users/ByCity"); // swapped in once caught up (IndexReplacementTest)
        assertEquals(List.of("users/1"), ids("from index 'Users/ByCity' where City = 'Ann'"));
        assertEquals(IndexPriority.NORMAL, indexes.require("Users/ByCity").definition().priority());

        closeStoreAndIndexes();
        open();
        assertEquals("Name", indexes.require("Users/ByCity").definition().fields().get("City").path().text(),
                "definitions survive restarts");
        indexes.setPriority(List.of("Users/ByCity"), IndexPriority.HIGH);
        closeStoreAndIndexes();
        open();
        assertEquals(IndexPriority.HIGH, indexes.require("Users/ByCity").definition().priority());

        indexes.reset("Users/ByCity");
        assertEquals(List.of("users/1"), ids("from index 'Users/ByCity' where City = 'Ann'"));
        var folderOfIndex = indexes.require("Users/ByCity").lucene().folder();
        indexes.delete("Users/ByCity");
        assertFalse(java.nio.file.Files.exists(folderOfIndex));
        assertThrows(IndexNotFoundException.class, () -> ids("from index 'Users/ByCity'"));
        closeStoreAndIndexes();
        open();
        assertTrue(indexes.definitions().isEmpty(), "a dropped index stays dropped");
    }

    private void awaitGone(String index) throws InterruptedException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        while (indexes.find(index).isPresent()) {
            assertTrue(System.nanoTime() < deadline, index + " was never retired");
            Thread.sleep(20);
        }
    }
}

package dev.blitdb.indexing.execution;

import dev.blitdb.indexing.lucene.FaultyDirectory;
import dev.blitdb.indexing.manager.IndexManager;
import dev.blitdb.indexing.worker.IndexState;
import dev.blitdb.indexing.worker.IndexUnavailableException;
import dev.blitdb.storage.documents.DocumentStore;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Opening an index: only proven damage rebuilds it (recorded in the index's errors); any other failure leaves its
 * files alone and the index {@code FAULTY} with the reason, retrying until it opens — then it resumes where it was.
 */
class IndexOpenFailureTest extends IndexingTestBase {

    private final FaultyDirectory.Faults faults = new FaultyDirectory.Faults();

    @Override
    void open() throws Exception {
        store = DocumentStore.open(folder.resolve("db"));
        indexes = IndexManager.open("db", store, folder.resolve("db").resolve("indexes"), spawner,
                SMALL_BATCHES.withDirectories(faults.factory()));
    }

    private Path prepare() throws Exception {
        define("{\"Name\":\"Users/ByCity\",\"Collection\":\"Users\",\"Fields\":{\"City\":{\"Path\":\"Address.City\","
                + "\"Type\":\"Keyword\"}}}");
        for (int i = 0; i < 30; i++) {
            put("users/" + i, user("U" + i, i, i % 3 == 0 ? "Paris" : "Oslo"));
        }
        assertEquals(10, ids("from index 'Users/ByCity' where City = 'Paris'").size());
        Path files = indexes.require("Users/ByCity").lucene().folder();
        closeStoreAndIndexes();
        return files;
    }

    @Test
    void shouldStayFaultyWithTheReasonAndKeepTheFilesWhenOpeningFails() throws Exception {
        Path files = prepare();
        Map<String, Long> before = listing(files);
        faults.denyOpenInput.set(Integer.MAX_VALUE); // a permission problem that lasts
        open();
        var worker = indexes.require("Users/ByCity");
        assertEquals(IndexState.FAULTY, worker.stats().state());
        var failure = assertThrows(IndexUnavailableException.class,
                () -> query("from index 'Users/ByCity' where City = 'Paris'", Map.of(), false));
        assertTrue(failure.getMessage().contains("injected fault: permission denied"), failure.getMessage());
        assertTrue(String.join(" ", worker.stalenessReasons()).contains("permission denied"),
                worker.stalenessReasons().toString());
        Thread.sleep(1_200); // a retry or two
        assertEquals(before, listing(files), "no file of the index may be deleted or changed");

        faults.denyOpenInput.set(0); // the problem is fixed: the worker opens the index on its next retry
        assertEquals(10, ids("from index 'Users/ByCity' where City = 'Paris'").size());
        assertFalse(worker.lucene().startedOver(), "the index resumed, it was not rebuilt");
        assertEquals(0, worker.stats().documentsIndexed(), "nothing had to be indexed again");
    }

    @Test
    void shouldRebuildADamagedIndexAndSaySoInItsErrors() throws Exception {
        Path files = prepare();
        try (var list = Files.list(files)) {
            for (Path p : list.filter(p -> p.getFileName().toString().startsWith("segments_")).toList()) {
                Files.write(p, new byte[]{9, 9, 9, 9, 9, 9, 9, 9, 9}); // a damaged commit point
            }
        }
        open();
        var worker = indexes.require("Users/ByCity");
        assertEquals(10, ids("from index 'Users/ByCity' where City = 'Paris'").size());
        assertTrue(worker.lucene().startedOver());
        var errors = worker.errors().recent();
        assertEquals(1, errors.size(), errors.toString());
        assertTrue(errors.getFirst().message().contains("unreadable") && errors.getFirst().message().contains(
                "rebuilt"), errors.getFirst().message());
    }

    private static Map<String, Long> listing(Path folder) throws Exception {
        Map<String, Long> out = new TreeMap<>();
        try (var list = Files.list(folder)) {
            for (Path p : list.toList()) {
                out.put(p.getFileName().toString() + "@" + Files.getLastModifiedTime(p).toMillis(), Files.size(p));
            }
        }
        return out;
    }
}

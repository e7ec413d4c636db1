package dev.blitdb.indexing.execution;

import dev.blitdb.indexing.worker.IndexWorker;
import dev.blitdb.storage.documents.DocumentCommand;
import dev.blitdb.storage.documents.DocumentReader;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An index created before its documents (a dump's index definition, then the import) adds the documents it has
 * never given an entry — no delete-by-id — while documents that may have one (updated after they were indexed,
 * deleted and written again) are still updated: every document has exactly one entry with its latest values.
 * After a restart the worker knows nothing of which ids have entries, so it updates everything again.
 */
class NewDocumentsAddedTest extends IndexingTestBase {

    private static final String INDEX = "Users/ByName";
    /** Each document's current name, by id; an id missing here is deleted. */
    private final Map<String, String> current = new HashMap<>();
    private final List<String> oldNames = new ArrayList<>();

    private void write(int from, int to, String version) {
        List<DocumentCommand> commands = new ArrayList<>();
        for (int i = from; i < to; i++) {
            String id = "users/" + i;
            String name = "N" + i + version;
            byte[] json = user(name, i % 90, "City" + (i % 7)).getBytes(StandardCharsets.UTF_8);
            commands.add(new DocumentCommand.Put(id, writer.convert(json, 0, json.length).toByteArray(), null));
            String before = current.put(id, name);
            if (before != null) {
                oldNames.add(before);
            }
            if (commands.size() == 100) {
                store.batch(commands).join(); // many small commits: the worker races them
                commands = new ArrayList<>();
            }
        }
        if (!commands.isEmpty()) {
            store.batch(commands).join();
        }
    }

    private void remove(int from, int to) {
        for (int i = from; i < to; i++) {
            delete("users/" + i);
            oldNames.add(current.remove("users/" + i));
        }
    }

    /** Every live document answers by its current name only, once; no old name answers; no entry is doubled. */
    private void assertExactlyOneEntryEach() throws Exception {
        Answer all = query("from index '" + INDEX + "' where exists(Name)", Map.of(), true);
        assertTrue(!all.result().isStale(), "caught up");
        assertEquals(current.size(), all.result().totalResults(), "one entry per document, none doubled");
        assertEquals(current.size(), new HashSet<>(all.ids()).size());
        try (DocumentReader reader = store.beginRead()) {
            assertEquals(reader.collectionCount("Users"), indexes.require(INDEX).lucene().entries());
        }
        for (Map.Entry<String, String> e : current.entrySet()) {
            if (e.getKey().hashCode() % 5 == 0) { // a fifth of them, one query each
                assertEquals(List.of(e.getKey()), ids("from index '" + INDEX + "' where Name = '" + e.getValue() + "'"));
            }
        }
        for (int i = 0; i < oldNames.size(); i += 3) {
            assertEquals(List.of(), ids("from index '" + INDEX + "' where Name = '" + oldNames.get(i) + "'"),
                    "an old version left an entry: " + oldNames.get(i));
        }
    }

    @Test
    void shouldAddNewDocumentsAndUpdateThoseThatMayHaveAnEntry() throws Exception {
        define("{\"Name\":\"" + INDEX + "\",\"Collection\":\"Users\",\"Fields\":{\"Name\":{\"Path\":\"Name\","
                + "\"Type\":\"Keyword\"},\"Age\":{\"Path\":\"Age\",\"Type\":\"Long\"}}}");
        IndexWorker worker = indexes.require(INDEX);
        write(0, 2_000, "a"); // arrives while the worker runs, after the build began
        assertExactlyOneEntryEach();
        assertTrue(worker.documentsAdded() >= 1_900, "new documents are added: " + worker.documentsAdded());

        write(0, 100, "b"); // indexed before: must be updated
        remove(100, 150);
        write(100, 125, "c"); // deleted, then written again: the old entry may still be there
        write(2_000, 3_000, "a");
        // Written and rewritten before the worker reaches them: only the last version is in the etag order.
        worker.pause();
        write(3_000, 3_500, "a");
        write(3_000, 3_100, "b");
        worker.resume();
        assertExactlyOneEntryEach();
        long updates = worker.stats().documentsIndexed() - worker.documentsAdded();
        assertTrue(updates >= 125, "rewritten documents are updated by id: " + updates);
        assertTrue(worker.documentsAdded() >= (2_000 + 1_000 + 500) * 9 / 10,
                "never-indexed documents are added: " + worker.documentsAdded());

        closeStoreAndIndexes();
        open(); // the reopened worker cannot know which ids have entries
        write(2_000, 2_100, "d");
        write(3_500, 3_600, "a");
        assertExactlyOneEntryEach();
        assertEquals(0, indexes.require(INDEX).documentsAdded(), "after a restart everything is updated");

        indexes.reset(INDEX); // empty again: new documents are added again
        assertExactlyOneEntryEach();
        assertTrue(indexes.require(INDEX).documentsAdded() >= current.size() * 9 / 10);
    }
}

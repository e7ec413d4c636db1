package dev.blitdb.indexing.lucene;

import dev.blitdb.indexing.definition.IndexDefinition;
import dev.blitdb.indexing.definition.IndexDefinition.FieldSpec;
import dev.blitdb.indexing.lucene.LuceneIndex.Progress;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.document.KeywordField;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LuceneIndexTest {

    @TempDir
    Path tmp;

    private static final IndexDefinition BY_NAME = IndexDefinition.of("Users/ByName", "Users",
            List.of(new FieldSpec("Name", "Name", "Keyword")), "Low");

    private static long count(LuceneIndex index, String name) throws Exception {
        var searcher = index.acquire();
        try {
            return searcher.count(KeywordField.newExactQuery("Name", name));
        } finally {
            index.release(searcher);
        }
    }

    private static void put(LuceneIndex index, IndexDefinition def, String id, String name) throws Exception {
        var builder = new IndexEntryBuilder(def).begin(id);
        builder.addString(def.fields().get("Name"), name);
        index.update(IndexEntryBuilder.lowerId(id), builder.build());
    }

    @Test
    void shouldWriteSegmentsWithoutCompoundFiles() throws Exception {
        Path folder = tmp.resolve("Users-ByName-files");
        try (var index = LuceneIndex.open(folder, BY_NAME, new StandardAnalyzer())) {
            assertFalse(index.writerConfig().getUseCompoundFile());
            for (int round = 0; round < 12; round++) { // enough flushed segments for a merge to be possible
                for (int i = 0; i < 50; i++) {
                    put(index, BY_NAME, "Users/" + round + "-" + i, "N" + i);
                }
                index.commit(new Progress(round + 1, 0));
            }
            try (var files = Files.list(folder)) {
                List<String> names = files.map(p -> p.getFileName().toString()).toList();
                assertTrue(names.stream().noneMatch(n -> n.endsWith(".cfs") || n.endsWith(".cfe")),
                        "no compound files: " + names);
                assertTrue(names.stream().anyMatch(n -> n.endsWith(".si")), names.toString());
            }
            assertEquals(12, count(index, "N7"));
        }
    }

    @Test
    void shouldResumeFromTheCommittedProgressAfterReopening() throws Exception {
        Path folder = tmp.resolve("Users-ByName");
        try (var index = LuceneIndex.open(folder, BY_NAME, new StandardAnalyzer())) {
            assertEquals(Progress.START, index.progress());
            put(index, BY_NAME, "Users/1", "Ann");
            put(index, BY_NAME, "users/1", "Bob"); // same id, other casing: replaces
            put(index, BY_NAME, "Users/2", "Ann");
            index.commit(new Progress(7, 3));
            assertEquals(1, count(index, "Ann"));
            assertEquals(1, count(index, "Bob"));
            assertEquals(2, index.entries());
            put(index, BY_NAME, "Users/3", "Cid"); // never committed
        }
        try (var index = LuceneIndex.open(folder, BY_NAME.withPriority(dev.blitdb.indexing.definition.IndexPriority.HIGH),
                new StandardAnalyzer())) {
            assertFalse(index.startedOver(), "a priority change is not a rebuild");
            assertEquals(new Progress(7, 3), index.progress());
            assertEquals(0, count(index, "Cid"), "uncommitted work is redone, not half-kept");
            index.delete("users/2");
            index.commit(new Progress(7, 4));
            assertEquals(0, count(index, "Ann"));
            assertTrue(index.sizeOnDisk() > 0);
        }
    }

    @Test
    void shouldStartOverWhenTheDefinitionChanged() throws Exception {
        Path folder = tmp.resolve("idx");
        try (var index = LuceneIndex.open(folder, BY_NAME, new StandardAnalyzer())) {
            put(index, BY_NAME, "Users/1", "Ann");
            index.commit(new Progress(1, 0));
        }
        IndexDefinition changed = IndexDefinition.of("Users/ByName", "Users",
                List.of(new FieldSpec("Name", "FirstName", "Keyword")), "Low");
        try (var index = LuceneIndex.open(folder, changed, new StandardAnalyzer())) {
            assertTrue(index.startedOver());
            assertEquals(Progress.START, index.progress());
            assertEquals(0, index.entries());
        }
        try (var index = LuceneIndex.open(folder, changed, new StandardAnalyzer())) {
            assertFalse(index.startedOver(), "the rebuild's empty commit is for the new definition");
        }
    }

    @Test
    void shouldResetAndDelete() throws Exception {
        Path folder = tmp.resolve("r");
        var index = LuceneIndex.open(folder, BY_NAME, new StandardAnalyzer());
        put(index, BY_NAME, "Users/1", "Ann");
        index.commit(new Progress(5, 5));
        index.reset();
        assertEquals(Progress.START, index.progress());
        assertEquals(0, count(index, "Ann"));
        index.closeAndDelete();
        assertFalse(Files.exists(folder));
    }

    @Test
    void shouldStartOverOnADamagedIndex() throws Exception {
        Path folder = tmp.resolve("d");
        try (var index = LuceneIndex.open(folder, BY_NAME, new StandardAnalyzer())) {
            put(index, BY_NAME, "Users/1", "Ann");
            index.commit(new Progress(2, 0));
        }
        try (var files = Files.list(folder)) {
            for (Path p : files.filter(p -> p.getFileName().toString().startsWith("segments_")).toList()) {
                Files.write(p, new byte[] {1, 2, 3}); // garbage commit point
            }
        }
        try (var index = LuceneIndex.open(folder, BY_NAME, new StandardAnalyzer())) {
            assertTrue(index.startedOver());
            assertTrue(index.damage().orElseThrow().contains("unreadable"), index.damage().toString());
            assertEquals(Progress.START, index.progress());
        }
    }

    @Test
    void shouldLeaveTheFilesAloneWhenOpeningFailsForAnotherReason() throws Exception {
        Path folder = tmp.resolve("t");
        try (var index = LuceneIndex.open(folder, BY_NAME, new StandardAnalyzer())) {
            put(index, BY_NAME, "Users/1", "Ann");
            index.commit(new Progress(2, 0));
        }
        Map<String, Long> before = files(folder);
        var faults = new FaultyDirectory.Faults();
        faults.denyOpenInput.set(1);
        var failure = assertThrows(java.io.IOException.class,
                () -> LuceneIndex.open(folder, BY_NAME, new StandardAnalyzer(), faults.factory()));
        assertTrue(failure instanceof java.nio.file.AccessDeniedException, failure.toString());
        assertEquals(before, files(folder), "a permission error must not delete or change any file");
        try (var index = LuceneIndex.open(folder, BY_NAME, new StandardAnalyzer(), faults.factory())) {
            assertFalse(index.startedOver());
            assertTrue(index.damage().isEmpty());
            assertEquals(new Progress(2, 0), index.progress());
            assertEquals(1, count(index, "Ann"));
        }
    }

    private static Map<String, Long> files(Path folder) throws Exception {
        Map<String, Long> out = new TreeMap<>();
        try (var list = Files.list(folder)) {
            for (Path p : list.toList()) {
                out.put(p.getFileName().toString(), Files.size(p));
            }
        }
        return out;
    }
}

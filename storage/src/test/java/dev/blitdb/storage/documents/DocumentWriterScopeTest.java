package dev.blitdb.storage.documents;

import dev.blitdb.blittable.BlitWriter;
import dev.blitdb.storage.engine.Cursor;
import dev.blitdb.storage.engine.ReadTxn;
import dev.blitdb.storage.engine.Store;
import dev.blitdb.storage.engine.StoreOptions;
import dev.blitdb.storage.engine.WriteTxn;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A single put or delete is a command scope of one, kept and written like a batch's: the same commands applied
 * one by one (in one transaction or in one each) and as one batch leave byte-identical trees — documents, etag
 * and collection indexes, tombstones, collection counts with their casing, the last etag — and the same results.
 */
class DocumentWriterScopeTest {

    private static final long NOW = 1_764_633_600_000L;
    private final BlitWriter blit = new BlitWriter();

    @TempDir
    Path dir;

    private byte[] doc(String json) {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        return blit.convert(b, 0, b.length).toByteArray();
    }

    /** Random commands over few ids: new documents, overwrites in and across collections, deletes, misses. */
    private List<DocumentCommand> commands(long seed, int count) {
        Random random = new Random(seed);
        String[] collections = {null, "Users", "users", "Orders", "Événements"};
        List<DocumentCommand> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String id = "doc/" + random.nextInt(12);
            if (random.nextInt(4) == 0) {
                out.add(new DocumentCommand.Delete(random.nextBoolean() ? id : id.toUpperCase(), null));
                continue;
            }
            String collection = collections[random.nextInt(collections.length)];
            String meta = collection == null ? "" : ",\"@metadata\":{\"@collection\":\"" + collection + "\"}";
            out.add(new DocumentCommand.Put(id, doc("{\"n\":" + i + ",\"s\":\"" + "x".repeat(random.nextInt(300))
                    + "\"" + meta + "}"), null));
        }
        return out;
    }

    private static Object apply(DocumentWriter writer, WriteTxn txn, DocumentCommand c) {
        return switch (c) {
            case DocumentCommand.Put p -> writer.put(txn, p.id(), MemorySegment.ofArray(p.blittable()),
                    p.expectedChangeVector(), NOW);
            case DocumentCommand.Delete d -> writer.delete(txn, d.id(), d.expectedChangeVector(), NOW);
        };
    }

    /** Every tree, every entry, as hex text: equal dumps mean byte-identical stores. */
    private static String dump(Store store) {
        StringBuilder out = new StringBuilder();
        HexFormat hex = HexFormat.of();
        try (ReadTxn r = store.beginRead()) {
            for (String tree : r.treeNames()) {
                out.append(tree).append('\n');
                Cursor c = r.cursor(tree);
                for (c.first(); c.valid(); c.next()) {
                    out.append("  ").append(hex.formatHex(c.keyBytes())).append(" = ")
                            .append(hex.formatHex(c.value().toArray(ValueLayout.JAVA_BYTE))).append('\n');
                }
            }
        }
        return out.toString();
    }

    @Test
    void singleCommandsAndOneBatchLeaveTheSameBytesAndResults() throws IOException {
        for (long seed = 1; seed <= 6; seed++) {
            List<DocumentCommand> commands = commands(seed, 60);
            DocumentWriter writer = new DocumentWriter("TESTDB");
            Path a = dir.resolve("single-" + seed);
            Path b = dir.resolve("batch-" + seed);
            Path c = dir.resolve("commits-" + seed);
            List<Object> single = new ArrayList<>();
            List<Object> committed = new ArrayList<>();
            List<Object> batched;
            try (Store sa = Store.open(a, StoreOptions.defaults()); Store sb = Store.open(b, StoreOptions.defaults());
                 Store sc = Store.open(c, StoreOptions.defaults())) {
                try (WriteTxn w = sa.beginWrite()) {
                    for (DocumentCommand command : commands) {
                        single.add(apply(writer, w, command));
                    }
                    w.commit();
                }
                for (DocumentCommand command : commands) {
                    try (WriteTxn w = sc.beginWrite()) {
                        committed.add(apply(writer, w, command));
                        w.commit();
                    }
                }
                try (WriteTxn w = sb.beginWrite()) {
                    batched = writer.batch(w, commands, NOW);
                    w.commit();
                }
                String batchDump = dump(sb);
                assertTrue(batchDump.contains("collections\n  "), "the batch counted collections");
                assertTrue(batchDump.contains("tombstones\n  "), "the commands deleted something: " + seed);
                assertEquals(batchDump, dump(sa), "single puts/deletes in one transaction, seed " + seed);
                assertEquals(batchDump, dump(sc), "single puts/deletes, one transaction each, seed " + seed);
                assertEquals(batched, single, "results, seed " + seed);
                assertEquals(batched, committed, "results, seed " + seed);
            }
        }
    }

    @Test
    void aRejectedSingleCommandLeavesNothingForTheNextOne() throws IOException {
        DocumentWriter writer = new DocumentWriter("TESTDB");
        try (Store s = Store.open(dir.resolve("s"), StoreOptions.defaults())) {
            try (WriteTxn w = s.beginWrite()) {
                PutResult first = writer.put(w, "a", MemorySegment.ofArray(doc("{\"@metadata\":{\"@collection\":\"C\"}}")),
                        null, NOW);
                assertEquals(1, first.etag());
                // Rejected after the etag was read (a conflict): the next command must not see a half scope.
                assertThrows(ConcurrencyConflictException.class, () -> writer.put(w, "a",
                        MemorySegment.ofArray(doc("{}")), "A:7-TESTDB", NOW));
                assertFalse(writer.delete(w, "missing", null, NOW).deleted());
                PutResult second = writer.put(w, "b", MemorySegment.ofArray(doc("{\"@metadata\":{\"@collection\":\"C\"}}")),
                        null, NOW);
                assertEquals(2, second.etag());
                assertEquals(2, DocumentWriter.lastEtag(w));
                MemorySegment count = w.get(Trees.COLLECTIONS, DocumentIds.collectionKey("C"));
                assertEquals(2, count.get(StoredDocument.U64, 0));
                w.commit();
            }
        }
    }

    @Test
    void eachDocumentKeepsItsOwnCollectionCasingAndNamesAreCheckedWhateverCameBefore() throws IOException {
        DocumentWriter writer = new DocumentWriter("TESTDB");
        String[] collections = {"Users", "Users", "users", null, "Users", "Événements", "Événements", null, null};
        try (Store s = Store.open(dir.resolve("s"), StoreOptions.defaults())) {
            try (WriteTxn w = s.beginWrite()) {
                for (int i = 0; i < collections.length; i++) {
                    String meta = collections[i] == null ? "{}" : "{\"@metadata\":{\"@collection\":\""
                            + collections[i] + "\"}}";
                    PutResult r = writer.put(w, "d" + i, MemorySegment.ofArray(doc(meta)), null, NOW);
                    String expected = collections[i] == null ? DocumentIds.EMPTY_COLLECTION : collections[i];
                    assertEquals(expected, r.collection(), "put " + i);
                    StoredDocument stored = new StoredDocument();
                    stored.wrap(w.get(Trees.DOCS, DocumentIds.key("d" + i)), "TESTDB");
                    assertEquals(expected, stored.collection(), "stored " + i);
                }
                assertThrows(InvalidIdException.class, () -> writer.put(w, "bad1",
                        MemorySegment.ofArray(doc("{\"@metadata\":{\"@collection\":\"\"}}")), null, NOW));
                writer.put(w, "d9", MemorySegment.ofArray(doc("{\"@metadata\":{\"@collection\":\"Us\"}}")), null, NOW);
                assertThrows(InvalidIdException.class, () -> writer.put(w, "bad2",
                        MemorySegment.ofArray(doc("{\"@metadata\":{\"@collection\":\"Us\\u0001\"}}")), null, NOW));
                assertThrows(InvalidDocumentException.class, () -> writer.put(w, "bad3",
                        MemorySegment.ofArray(doc("{\"@metadata\":{\"@collection\":7}}")), null, NOW));
                w.commit();
            }
            try (ReadTxn r = s.beginRead()) {
                assertEquals(4, r.get(Trees.COLLECTIONS, DocumentIds.collectionKey("users")).get(StoredDocument.U64, 0));
                assertEquals(3, r.get(Trees.COLLECTIONS, DocumentIds.collectionKey("@empty")).get(StoredDocument.U64, 0));
                assertEquals(2, r.get(Trees.COLLECTIONS, DocumentIds.collectionKey("Événements")).get(StoredDocument.U64, 0));
                assertEquals(1, r.get(Trees.COLLECTIONS, DocumentIds.collectionKey("us")).get(StoredDocument.U64, 0));
                assertEquals(null, r.get(Trees.DOCS, DocumentIds.key("bad2")));
                MemorySegment users = r.get(Trees.COLLECTIONS, DocumentIds.collectionKey("users"));
                assertEquals("Users", new String(users.asSlice(8).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8));
            }
        }
    }
}

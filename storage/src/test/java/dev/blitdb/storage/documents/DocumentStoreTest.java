package dev.blitdb.storage.documents;

import dev.blitdb.blittable.BlitDocument;
import dev.blitdb.blittable.BlitJsonWriter;
import dev.blitdb.blittable.BlitWriter;
import dev.blitdb.blittable.JsonSink;
import dev.blitdb.storage.engine.StoreOptions;
import dev.blitdb.storage.merger.MergerOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DocumentStoreTest {

    @TempDir
    Path dir;

    private DocumentStore db;
    private final BlitWriter blit = new BlitWriter();

    private static final StoreOptions OPTIONS = StoreOptions.defaults().withMinGrowth(1 << 20);

    @BeforeEach
    void open() throws Exception {
        db = DocumentStore.open(dir, OPTIONS, MergerOptions.defaults());
    }

    @AfterEach
    void close() throws Exception {
        db.close();
    }

    private void reopen() throws Exception {
        db.close();
        db = DocumentStore.open(dir, OPTIONS, MergerOptions.defaults());
    }

    private byte[] doc(String json) {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        return blit.convert(b, 0, b.length).toByteArray();
    }

    private PutResult put(String id, String json, String expected) throws Exception {
        return db.put(id, doc(json), expected).get();
    }

    private String json(StoredDocument d) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new BlitJsonWriter().write(d.document(new BlitDocument()), true, JsonSink.of(out));
        return out.toString(StandardCharsets.UTF_8);
    }

    private static Throwable cause(CompletableFuture<?> f) {
        ExecutionException e = assertThrows(ExecutionException.class, f::get);
        return e.getCause();
    }

    @Test
    void shouldStoreAndStreamTheDocumentWithItsMetadata() throws Exception {
        PutResult r = put("Users/1", "{\"Name\":\"Ann\",\"@metadata\":{\"@collection\":\"Users\",\"x\":1}}", null);
        assertEquals("Users/1", r.id());
        assertEquals(1, r.etag());
        assertEquals("A:1-" + db.databaseId(), r.changeVector());
        assertEquals("Users", r.collection());
        try (DocumentReader reader = db.beginRead()) {
            StoredDocument d = new StoredDocument();
            assertTrue(reader.get("users/1", d), "lookup is case-insensitive");
            assertTrue(reader.get("USERS/1", d));
            assertEquals("Users/1", d.id(), "original casing is kept");
            assertEquals("Users", d.collection());
            assertEquals(r.changeVector(), d.changeVector());
            String json = json(d);
            assertTrue(json.startsWith("{\"Name\":\"Ann\",\"@metadata\":{\"@collection\":\"Users\",\"x\":1,"), json);
            assertTrue(json.contains("\"@id\":\"Users/1\""), json);
            assertTrue(json.contains("\"@change-vector\":\"" + r.changeVector() + "\""), json);
            assertTrue(json.contains("\"@last-modified\":\"20"), json);
        }
    }

    @Test
    void shouldPutDocumentsWithoutCollectionIntoEmpty() throws Exception {
        assertEquals("@empty", put("a", "{\"v\":1}", null).collection());
        try (DocumentReader reader = db.beginRead()) {
            StoredDocument d = new StoredDocument();
            assertTrue(reader.get("A", d));
            assertTrue(json(d).contains("\"@collection\":\"@empty\""));
            assertEquals(Map.of("@empty", 1L), reader.collections());
        }
    }

    @Test
    void shouldGiveEveryWriteTheNextEtagAndSurviveRestart() throws Exception {
        put("a", "{}", null);
        put("b", "{}", null);
        PutResult again = put("A", "{\"v\":2}", null);
        assertEquals(3, again.etag());
        assertEquals("A", again.id());
        DeleteResult del = db.delete("b", null).get();
        assertTrue(del.deleted());
        assertEquals(4, del.tombstoneEtag());
        reopen();
        assertEquals(5, put("c", "{}", null).etag());
        try (DocumentReader reader = db.beginRead()) {
            assertEquals(5, reader.lastEtag());
            List<Long> etags = new ArrayList<>();
            StoredDocument d = new StoredDocument();
            DocumentIterator it = reader.byEtag(0);
            while (it.next(d)) {
                etags.add(d.etag());
            }
            assertEquals(List.of(3L, 5L), etags);
        }
    }

    @Test
    void shouldEnforceExpectedChangeVectors() throws Exception {
        PutResult first = put("doc", "{}", "");
        Throwable mustNotExist = cause(db.put("doc", doc("{}"), ""));
        ConcurrencyConflictException c1 = assertInstanceOf(ConcurrencyConflictException.class, mustNotExist);
        assertEquals(first.changeVector(), c1.actual());
        PutResult second = put("doc", "{\"v\":2}", first.changeVector());
        ConcurrencyConflictException c2 = assertInstanceOf(ConcurrencyConflictException.class,
                cause(db.put("DOC", doc("{}"), first.changeVector())));
        assertTrue(c2.getMessage().contains(first.changeVector()) && c2.getMessage().contains(second.changeVector()),
                c2.getMessage());
        assertInstanceOf(ConcurrencyConflictException.class, cause(db.delete("doc", first.changeVector())));
        assertInstanceOf(ConcurrencyConflictException.class, cause(db.put("missing", doc("{}"), "A:1-x")));
        assertTrue(db.delete("doc", second.changeVector()).get().deleted());
        assertFalse(db.delete("doc", null).get().deleted());
    }

    @Test
    void shouldRejectBadIdsAndDocumentsAlone() throws Exception {
        assertInstanceOf(InvalidIdException.class, cause(db.put("", doc("{}"), null)));
        assertInstanceOf(InvalidIdException.class, cause(db.put("x".repeat(10_000), doc("{}"), null)));
        assertInstanceOf(InvalidIdException.class, cause(db.put("a\u0001b", doc("{}"), null)));
        assertInstanceOf(InvalidDocumentException.class, cause(db.put("arr", doc("[1,2]"), null)));
        assertInstanceOf(InvalidDocumentException.class,
                cause(db.put("c", doc("{\"@metadata\":{\"@collection\":5}}"), null)));
        assertEquals("x".repeat(DocumentIds.MAX_ID_BYTES), put("x".repeat(DocumentIds.MAX_ID_BYTES), "{}", null).id());
    }

    @Test
    void shouldKeepCollectionsCountsAndEtagOrderPerCollection() throws Exception {
        for (int i = 0; i < 30; i++) {
            String col = i % 3 == 0 ? "Orders" : "Users";
            put(col.toLowerCase() + "/" + i, "{\"@metadata\":{\"@collection\":\"" + col + "\"},\"i\":" + i + "}", null);
        }
        put("users/1", "{\"@metadata\":{\"@collection\":\"Users\"},\"i\":100}", null); // moves users/1 to the end
        db.delete("orders/3", null).get();
        try (DocumentReader reader = db.beginRead()) {
            assertEquals(Map.of("Orders", 9L, "Users", 20L), reader.collections());
            assertEquals(20, reader.collectionCount("USERS"));
            StoredDocument d = new StoredDocument();
            DocumentIterator it = reader.collection("users", 0);
            long last = 0;
            int n = 0;
            String lastId = null;
            while (it.next(d)) {
                assertTrue(d.etag() > last);
                last = d.etag();
                assertEquals("Users", d.collection());
                lastId = d.id();
                n++;
            }
            assertEquals(20, n);
            assertEquals("users/1", lastId);
            // From an etag: only what came after.
            it = reader.collection("Orders", 10);
            n = 0;
            while (it.next(d)) {
                assertTrue(d.etag() >= 10);
                n++;
            }
            assertEquals(7, n); // orders 9, 12, ..., 27 have etags 10, 13, ..., 28
            assertTrue(it.prefetchNext(5) >= 0);
            // Prefetching keeps the records it found; the walk hands out exactly what a plain walk does.
            List<String> plain = new java.util.ArrayList<>();
            for (DocumentIterator p = reader.collection("users", 0); p.next(d); ) {
                plain.add(d.id() + "@" + d.etag() + ":" + d.blittable().byteSize());
            }
            for (int stretch : new int[]{1, 3, 7, 50}) {
                List<String> prefetched = new java.util.ArrayList<>();
                DocumentIterator p = reader.collection("users", 0);
                assertEquals(Math.min(stretch, 20), p.prefetchNext(stretch));
                for (int k = 1; p.next(d); k++) {
                    prefetched.add(d.id() + "@" + d.etag() + ":" + d.blittable().byteSize());
                    if (k % stretch == 0) {
                        p.prefetchNext(stretch); // the next stretch, as the index worker does
                    }
                }
                assertEquals(plain, prefetched, "prefetch every " + stretch);
            }
            List<Tombstone> tombstones = reader.tombstones(0, "orders", 10);
            assertEquals(1, tombstones.size());
            assertEquals("orders/3", tombstones.getFirst().id());
            assertEquals("Orders", tombstones.getFirst().collection());
            assertEquals(reader.lastEtag(), tombstones.getFirst().etag());
            assertTrue(reader.tombstones(0, "users", 10).isEmpty());
        }
    }

    @Test
    void shouldWriteATombstoneWhenADocumentChangesCollection() throws Exception {
        put("x", "{\"@metadata\":{\"@collection\":\"A\"}}", null);
        PutResult moved = put("x", "{\"@metadata\":{\"@collection\":\"B\"}}", null);
        assertEquals(3, moved.etag());
        try (DocumentReader reader = db.beginRead()) {
            assertEquals(Map.of("B", 1L), reader.collections());
            List<Tombstone> t = reader.tombstones(0, null, 10);
            assertEquals(1, t.size());
            assertEquals("A", t.getFirst().collection());
            assertEquals(2, t.getFirst().etag());
        }
        assertEquals(1, db.purgeTombstones(2, 100).get());
        try (DocumentReader reader = db.beginRead()) {
            assertEquals(0, reader.tombstoneCount());
        }
    }

    @Test
    void shouldPageByIdPrefix() throws Exception {
        for (int i = 0; i < 25; i++) {
            put(String.format("Users/%02d", i), "{}", null);
        }
        put("orders/1", "{}", null);
        try (DocumentReader reader = db.beginRead()) {
            StoredDocument d = new StoredDocument();
            DocumentIterator it = reader.startsWith("users/", 10);
            List<String> page = new ArrayList<>();
            while (page.size() < 5 && it.next(d)) {
                page.add(d.id());
            }
            assertEquals(List.of("Users/10", "Users/11", "Users/12", "Users/13", "Users/14"), page);
            it = reader.startsWith("USERS/2", 0);
            int n = 0;
            while (it.next(d)) {
                n++;
            }
            assertEquals(5, n);
            it = reader.startsWith("", 0);
            n = 0;
            while (it.next(d)) {
                n++;
            }
            assertEquals(26, n);
        }
    }

    @Test
    void shouldApplyABatchAllOrNothing() throws Exception {
        put("keep", "{}", null);
        List<DocumentCommand> failing = List.of(
                new DocumentCommand.Put("n1", doc("{}"), null),
                new DocumentCommand.Delete("keep", null),
                new DocumentCommand.Put("n2", doc("{}"), "A:999-nope"));
        BatchCommandException e = assertInstanceOf(BatchCommandException.class, cause(db.batch(failing)));
        assertEquals(2, e.index());
        assertInstanceOf(ConcurrencyConflictException.class, e.getCause());
        try (DocumentReader reader = db.beginRead()) {
            StoredDocument d = new StoredDocument();
            assertTrue(reader.get("keep", d));
            assertFalse(reader.get("n1", d));
            assertEquals(1, reader.lastEtag());
        }
        List<Object> ok = db.batch(List.of(new DocumentCommand.Put("n1", doc("{}"), ""),
                new DocumentCommand.Delete("keep", null))).get();
        assertEquals("n1", ((PutResult) ok.get(0)).id());
        assertTrue(((DeleteResult) ok.get(1)).deleted());
    }

    /**
     * A batch keeps its last etag and collection counts back and writes them once at its end: the outcome must be
     * what the same commands give one by one — counts, the casing a collection was first seen with, a collection
     * emptied and refilled (new casing) inside the batch, a move between collections, etags — and survive a
     * reopen; a failing batch changes none of it.
     */
    @Test
    void shouldCountCollectionsAndEtagsInABatchAsOneByOne() throws Exception {
        String users = "{\"@metadata\":{\"@collection\":\"Users\"}}";
        put("u1", users, null);
        put("u2", users, null);
        List<DocumentCommand> commands = List.of(
                new DocumentCommand.Put("u3", doc(users), null),
                new DocumentCommand.Delete("u1", null),
                new DocumentCommand.Delete("u2", null),
                new DocumentCommand.Delete("u3", null), // Users is empty now: its casing is forgotten
                new DocumentCommand.Put("u4", doc("{\"@metadata\":{\"@collection\":\"USERS\"}}"), null),
                new DocumentCommand.Put("o1", doc("{\"@metadata\":{\"@collection\":\"Orders\"}}"), null),
                new DocumentCommand.Put("o2", doc("{\"@metadata\":{\"@collection\":\"orders\"}}"), null),
                new DocumentCommand.Put("o1", doc("{\"@metadata\":{\"@collection\":\"Lines\"}}"), null), // moves
                new DocumentCommand.Put("e1", doc("{}"), null));
        List<Object> results = db.batch(commands).get();
        // The same commands one by one, in a second store.
        List<Object> single = new ArrayList<>();
        try (DocumentStore other = DocumentStore.open(dir.resolve("one-by-one"), OPTIONS, MergerOptions.defaults())) {
            other.put("u1", doc(users), null).get();
            other.put("u2", doc(users), null).get();
            for (DocumentCommand c : commands) {
                single.add(switch (c) {
                    case DocumentCommand.Put p -> other.put(p.id(), p.blittable(), null).get();
                    case DocumentCommand.Delete d -> other.delete(d.id(), null).get();
                });
            }
            try (DocumentReader a = db.beginRead(); DocumentReader b = other.beginRead()) {
                assertEquals(b.collections(), a.collections());
                assertEquals(b.lastEtag(), a.lastEtag());
            }
        }
        for (int i = 0; i < commands.size(); i++) {
            Object r = results.get(i);
            Object o = single.get(i);
            assertEquals(o instanceof PutResult p ? p.etag() : ((DeleteResult) o).tombstoneEtag(),
                    r instanceof PutResult p ? p.etag() : ((DeleteResult) r).tombstoneEtag(), "command " + i);
        }
        // 2 before; u3, three deletes, u4, o1, o2 (the same collection as Orders) = 9; the move of o1 takes two
        // (its tombstone in Orders, then the put) = 11; e1 = 12.
        assertEquals(12, ((PutResult) results.getLast()).etag());
        Map<String, Long> expected = Map.of("USERS", 1L, "Orders", 1L, "Lines", 1L, "@empty", 1L);
        try (DocumentReader reader = db.beginRead()) {
            assertEquals(expected, reader.collections());
            assertEquals(12, reader.lastEtag());
        }
        BatchCommandException e = assertInstanceOf(BatchCommandException.class, cause(db.batch(List.of(
                new DocumentCommand.Put("x1", doc("{\"@metadata\":{\"@collection\":\"New\"}}"), null),
                new DocumentCommand.Delete("u4", null),
                new DocumentCommand.Put("x2", doc("{}"), "A:1-nope")))));
        assertEquals(2, e.index());
        reopen();
        try (DocumentReader reader = db.beginRead()) {
            assertEquals(expected, reader.collections());
            assertEquals(12, reader.lastEtag());
        }
        // Single writes after a batch continue from its etag and counts.
        assertEquals(13, put("o3", "{\"@metadata\":{\"@collection\":\"ORDERS\"}}", null).etag());
        try (DocumentReader reader = db.beginRead()) {
            assertEquals(2L, reader.collections().get("Orders"));
        }
    }

    @Test
    void shouldNeverRepeatHiLoRangesAcrossRestarts() throws Exception {
        Set<Long> seen = new HashSet<>();
        for (int round = 0; round < 3; round++) {
            List<CompletableFuture<HiLoRange>> futures = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                futures.add(db.reserveIds(i % 2 == 0 ? "Users" : "users", 32));
            }
            for (CompletableFuture<HiLoRange> f : futures) {
                HiLoRange r = f.get();
                assertEquals(32, r.last() - r.first() + 1);
                for (long n = r.first(); n <= r.last(); n++) {
                    assertTrue(seen.add(n), "number " + n + " handed out twice");
                }
            }
            reopen();
        }
        assertEquals(3 * 20 * 32, seen.size());
        HiLoRange other = db.reserveIds("Orders", 10).get();
        assertEquals(1, other.first());
        assertInstanceOf(IllegalArgumentException.class, cause(db.reserveIds("Orders", 0)));
    }

    @Test
    void shouldReportStats() throws Exception {
        put("a", "{\"@metadata\":{\"@collection\":\"Users\"}}", null);
        put("b", "{}", null);
        db.delete("b", null).get();
        DatabaseStats s = db.stats();
        assertEquals(1, s.documents());
        assertEquals(1, s.tombstones());
        assertEquals(3, s.lastEtag());
        assertEquals(Map.of("Users", 1L), s.collections());
        assertTrue(s.fileBytes() >= 1 << 20);
        assertTrue(s.usedPages() > 2);
        assertEquals(db.databaseId(), s.databaseId());
        try (DocumentReader reader = db.beginRead()) {
            assertNull(reader.changeVector("b"));
        }
    }
}

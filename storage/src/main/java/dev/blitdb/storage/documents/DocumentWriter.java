package dev.blitdb.storage.documents;

import dev.blitdb.blittable.BlitBuilder;
import dev.blitdb.blittable.BlitDocument;
import dev.blitdb.blittable.BlitDocuments;
import dev.blitdb.blittable.BlitFormatException;
import dev.blitdb.blittable.BlitString;
import dev.blitdb.blittable.BlitType;
import dev.blitdb.blittable.NativeSpillSpace;
import dev.blitdb.storage.engine.Limits;
import dev.blitdb.storage.engine.TooLargeException;
import dev.blitdb.storage.engine.WriteTxn;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static dev.blitdb.storage.documents.StoredDocument.U16;
import static dev.blitdb.storage.documents.StoredDocument.U64;

/**
 * The document operations, applied on the merger's writer thread (its scratch builder and flyweights are not
 * shared). Each one validates first — id, document shape, expected change vector, size, file space — and throws a
 * clean rejection; only then changes pages, wrapping any later failure in {@link DocumentWriteFailedException} so
 * the merger discards the partial change.
 */
final class DocumentWriter {

    private final String databaseId;
    /** Stamps @metadata; a document past the builder's 1 MiB window is stamped in native memory instead. */
    private final NativeSpillSpace stampSpace = new NativeSpillSpace();
    private final BlitBuilder builder = new BlitBuilder();
    private final BlitDocument source = new BlitDocument();
    private final BlitString string = new BlitString();
    private final StoredDocument existing = new StoredDocument();
    /** The last stamp's time and its ISO-8601 text: every document of a batch shares one {@code now}. */
    private long stampMillis = Long.MIN_VALUE;
    private String stampText;
    /**
     * The last etag and the collection counts a command scope changes, kept here and written once when the scope
     * ends: a batch of 2048 puts would otherwise rewrite them 2048 times. A single put or delete is a scope of one
     * and goes through the same code as a batch's: the compiled put then has one shape for both, so a single write
     * (the system database's audit records, a PUT by id) does not make the JIT throw away the put an import is
     * running in (a {@code deferred == null} branch the import never takes was an uncommon trap there). Reset when
     * a scope starts; a failing scope is discarded whole by the merger, so what is kept here then is dropped.
     */
    private final Deferred deferred = new Deferred();

    /** The etag and collection counts of the scope being applied, as they will be written at its end. */
    private static final class Deferred {
        long lastEtag = -1; // -1: not read from the store yet
        boolean etagChanged;
        final java.util.Map<java.nio.ByteBuffer, CollectionCount> counts = new java.util.HashMap<>();

        Deferred reset() {
            lastEtag = -1;
            etagChanged = false;
            counts.clear();
            return this;
        }
    }

    /** One collection's entry in the {@code collections} tree as the batch has left it (absent: count 0). */
    private static final class CollectionCount {
        final byte[] key;
        final boolean stored; // it had an entry before the batch
        long count;
        byte[] name; // original casing; null while the count is 0

        CollectionCount(byte[] key, boolean stored, long count, byte[] name) {
            this.key = key;
            this.stored = stored;
            this.count = count;
            this.name = name;
        }

        /** A count that reaches 0 forgets its casing; one filled again keeps the casing it is refilled with. */
        void settle(String collection) {
            if (count <= 0) {
                count = 0;
                name = null;
            } else if (name == null) {
                name = collection.getBytes(StandardCharsets.UTF_8);
            }
        }
    }

    DocumentWriter(String databaseId) {
        this.databaseId = databaseId;
    }

    static long lastEtag(dev.blitdb.storage.engine.Txn txn) {
        MemorySegment v = txn.get(Trees.DB, Trees.LAST_ETAG);
        return v == null ? 0 : v.get(U64, 0);
    }

    /** The highest etag of a purged tombstone (0: none was ever purged). */
    static long purgedTombstonesTo(dev.blitdb.storage.engine.Txn txn) {
        MemorySegment v = txn.get(Trees.DB, Trees.PURGED_TOMBSTONES_TO);
        return v == null ? 0 : v.get(U64, 0);
    }

    private static void setLastEtag(WriteTxn txn, long etag) {
        txn.reserve(Trees.DB, MemorySegment.ofArray(Trees.LAST_ETAG), 8).set(U64, 0, etag);
    }

    /** The last etag handed out, as the scope has left it. */
    private long currentEtag(WriteTxn txn) {
        Deferred d = deferred;
        if (d.lastEtag < 0) {
            d.lastEtag = lastEtag(txn);
        }
        return d.lastEtag;
    }

    private void advanceEtag(long etag) {
        deferred.lastEtag = etag;
        deferred.etagChanged = true;
    }

    /** ISO-8601 text of {@code now} for @last-modified, formatted once per distinct time. */
    private String stamp(long now) {
        if (now != stampMillis || stampText == null) {
            stampText = Instant.ofEpochMilli(now).toString();
            stampMillis = now;
        }
        return stampText;
    }

    /** A checked collection name with its UTF-8 bytes and its lookup key ({@link DocumentIds#collectionKey}). */
    private record CollectionName(String name, byte[] utf8, byte[] key) {
        static CollectionName of(String name) {
            return new CollectionName(name, name.getBytes(StandardCharsets.UTF_8), DocumentIds.collectionKey(name));
        }
    }

    private static final CollectionName EMPTY = CollectionName.of(DocumentIds.EMPTY_COLLECTION);
    /** The last put's collection: an import's or a bulk insert's documents are mostly of one. */
    private CollectionName lastCollection = EMPTY;

    /**
     * The collection of {@link #source} (its {@code @metadata.@collection}, {@value DocumentIds#EMPTY_COLLECTION}
     * without one): the last put's when the bytes are the same, so the common case checks, decodes and lowercases
     * nothing.
     */
    private CollectionName collectionOf(String id) {
        boolean named;
        try {
            named = BlitDocuments.metadataString(source, BlitDocuments.COLLECTION_KEY, string);
        } catch (IllegalStateException e) {
            throw new InvalidDocumentException("document '" + id + "': @metadata.@collection must be a string");
        }
        CollectionName last = lastCollection;
        if (named && string.equalsUtf8(last.utf8, 0, last.utf8.length)) {
            return last;
        }
        return newCollection(named);
    }

    private CollectionName newCollection(boolean named) {
        CollectionName c = named ? CollectionName.of(DocumentIds.collection(string.toString())) : EMPTY;
        lastCollection = c;
        return c;
    }

    private static void checkExpected(String id, String expected, String actual) {
        if (expected == null) {
            return;
        }
        boolean ok = expected.isEmpty() ? actual == null : expected.equals(actual);
        if (!ok) {
            throw new ConcurrencyConflictException(id, expected, actual);
        }
    }

    PutResult put(WriteTxn txn, String id, MemorySegment blittable, String expected, long now) {
        return put(txn, id, DocumentIds.key(id), blittable, expected, now);
    }

    /** A single put: a scope of one command. {@code key} is {@code DocumentIds.key(id)}, computed once by the caller. */
    PutResult put(WriteTxn txn, String id, byte[] key, MemorySegment blittable, String expected, long now) {
        deferred.reset();
        PutResult result = putInScope(txn, id, key, blittable, expected, now);
        endSingle(txn, id);
        return result;
    }

    /** A single delete: a scope of one command. */
    DeleteResult delete(WriteTxn txn, String id, String expected, long now) {
        deferred.reset();
        DeleteResult result = deleteInScope(txn, id, expected, now);
        if (result.deleted()) {
            endSingle(txn, id);
        }
        return result;
    }

    /** Writes what a single command kept back; a failure there is a failed write (the merger discards it). */
    private void endSingle(WriteTxn txn, String id) {
        try {
            writeDeferred(txn, deferred);
        } catch (RuntimeException e) {
            throw new DocumentWriteFailedException("write of document '" + id + "'", e);
        }
    }

    private PutResult putInScope(WriteTxn txn, String id, byte[] key, MemorySegment blittable, String expected,
                                 long now) {
        byte[] idBytes = id.getBytes(StandardCharsets.UTF_8);
        MemorySegment old = txn.get(Trees.DOCS, key);
        long oldEtag = 0;
        String oldCollection = null;
        if (old != null) {
            existing.wrap(old, databaseId);
            oldEtag = existing.etag();
            oldCollection = existing.collection();
        }
        checkExpected(id, expected, old == null ? null : DocumentIds.changeVector(oldEtag, databaseId));
        source.wrap(blittable, 0);
        if (source.rootType() != BlitType.OBJECT) {
            throw new InvalidDocumentException("document '" + id + "' is a " + source.rootType()
                    + "; a document must be a JSON object");
        }
        CollectionName col = collectionOf(id);
        String collection = col.name;
        byte[] colBytes = col.utf8;
        byte[] colKey = col.key;
        byte[] oldColKey = oldCollection == null ? null : DocumentIds.collectionKey(oldCollection);
        boolean moved = oldColKey != null && !Arrays.equals(oldColKey, colKey);
        long etag = currentEtag(txn) + (moved ? 2 : 1);
        String changeVector = DocumentIds.changeVector(etag, databaseId);
        int len;
        try {
            builder.spillTo(stampSpace, source.length() + 4096L);
            len = BlitDocuments.withMetadata(source, id, collection, changeVector, stamp(now), builder);
        } catch (BlitFormatException e) {
            if (e.kind().tooLarge()) {
                throw new TooLargeException("document '" + id + "' with its @metadata", source.length()
                        + 100L, Limits.MAX_VALUE);
            }
            throw new InvalidDocumentException("document '" + id + "' cannot be stamped: " + e.getMessage());
        }
        long total = (long) StoredDocument.headerSize(colBytes, idBytes) + len;
        if (total > Limits.MAX_VALUE) {
            throw new TooLargeException("document '" + id + "' with its metadata", total, Limits.MAX_VALUE);
        }
        txn.reserveSpace(10, total + 4096);
        try {
            if (old != null) {
                txn.delete(Trees.ETAGS, DocumentIds.etagKey(oldEtag));
                txn.delete(Trees.COLLECTION_ETAGS, DocumentIds.collectionEtagKey(oldColKey, oldEtag));
                if (moved) {
                    // An index of the old collection must drop the document: give it a tombstone there.
                    adjustCount(txn, oldCollection, oldColKey, -1);
                    writeTombstone(txn, etag - 1, id, oldCollection, now);
                }
            }
            if (old == null || moved) {
                adjustCount(txn, collection, colKey, +1);
            }
            MemorySegment target = txn.reserve(Trees.DOCS, MemorySegment.ofArray(key), total);
            StoredDocument.writeHeader(target, etag, now, 0, colBytes, idBytes);
            MemorySegment.copy(builder.segment(), 0, target, StoredDocument.headerSize(colBytes, idBytes), len);
            txn.put(Trees.ETAGS, DocumentIds.etagKey(etag), key);
            txn.put(Trees.COLLECTION_ETAGS, DocumentIds.collectionEtagKey(colKey, etag), key);
            advanceEtag(etag);
        } catch (RuntimeException e) {
            throw new DocumentWriteFailedException("put of document '" + id + "'", e);
        } finally {
            builder.trim(); // the merger thread keeps no buffer grown for one large document
            stampSpace.close(); // nor native memory
        }
        return new PutResult(id, changeVector, etag, collection);
    }

    private DeleteResult deleteInScope(WriteTxn txn, String id, String expected, long now) {
        byte[] key = DocumentIds.key(id);
        MemorySegment old = txn.get(Trees.DOCS, key);
        if (old == null) {
            checkExpected(id, expected, null);
            return new DeleteResult(id, false, 0);
        }
        existing.wrap(old, databaseId);
        long oldEtag = existing.etag();
        String collection = existing.collection();
        String storedId = existing.id();
        checkExpected(id, expected, DocumentIds.changeVector(oldEtag, databaseId));
        txn.reserveSpace(8, 4096);
        long etag = currentEtag(txn) + 1;
        try {
            txn.delete(Trees.DOCS, key);
            txn.delete(Trees.ETAGS, DocumentIds.etagKey(oldEtag));
            byte[] colKey = DocumentIds.collectionKey(collection);
            txn.delete(Trees.COLLECTION_ETAGS, DocumentIds.collectionEtagKey(colKey, oldEtag));
            adjustCount(txn, collection, colKey, -1);
            writeTombstone(txn, etag, storedId, collection, now);
            advanceEtag(etag);
        } catch (RuntimeException e) {
            throw new DocumentWriteFailedException("delete of document '" + id + "'", e);
        }
        return new DeleteResult(storedId, true, etag);
    }

    List<Object> batch(WriteTxn txn, List<DocumentCommand> commands, long now) {
        List<Object> results = new ArrayList<>(commands.size());
        deferred.reset();
        for (int i = 0; i < commands.size(); i++) {
            DocumentCommand c = commands.get(i);
            try {
                results.add(switch (c) {
                    case DocumentCommand.Put p -> putInScope(txn, p.id(), DocumentIds.key(p.id()),
                            MemorySegment.ofArray(p.blittable()), p.expectedChangeVector(), now);
                    case DocumentCommand.Delete d -> deleteInScope(txn, d.id(), d.expectedChangeVector(), now);
                });
            } catch (RuntimeException e) {
                throw new BatchCommandException(i, c, e);
            }
        }
        if (!commands.isEmpty()) {
            try {
                writeDeferred(txn, deferred);
            } catch (RuntimeException e) {
                int last = commands.size() - 1;
                throw new BatchCommandException(last, commands.get(last),
                        new DocumentWriteFailedException("batch of " + commands.size() + " commands", e));
            }
        }
        return results;
    }

    /** Writes what a batch kept back: its last etag and every collection count it changed. */
    private static void writeDeferred(WriteTxn txn, Deferred d) {
        txn.reserveSpace(1 + d.counts.size(), 64L * (1 + d.counts.size()));
        if (d.etagChanged) {
            setLastEtag(txn, d.lastEtag);
        }
        for (CollectionCount c : d.counts.values()) {
            if (c.count <= 0) {
                if (c.stored) {
                    txn.delete(Trees.COLLECTIONS, c.key);
                }
            } else {
                writeCount(txn, c.key, c.count, c.name);
            }
        }
    }

    HiLoRange reserveIds(WriteTxn txn, String collection, long count) {
        String col = DocumentIds.collection(collection);
        byte[] key = DocumentIds.collectionKey(col);
        MemorySegment old = txn.get(Trees.HILO, key);
        long last = old == null ? 0 : old.get(U64, 0);
        txn.reserveSpace(2, 64);
        try {
            txn.reserve(Trees.HILO, MemorySegment.ofArray(key), 8).set(U64, 0, last + count);
        } catch (RuntimeException e) {
            throw new DocumentWriteFailedException("id range reservation for '" + col + "'", e);
        }
        return new HiLoRange(col, last + 1, last + count);
    }

    long purgeTombstones(WriteTxn txn, long upToEtag, int max) {
        var c = txn.cursor(Trees.TOMBSTONES);
        List<byte[]> keys = new ArrayList<>();
        for (c.first(); c.valid() && keys.size() < max; c.next()) {
            byte[] k = c.keyBytes();
            if (java.nio.ByteBuffer.wrap(k).getLong() > upToEtag) {
                break;
            }
            keys.add(k);
        }
        txn.reserveSpace(keys.size() + 2, 64);
        try {
            for (byte[] k : keys) {
                txn.delete(Trees.TOMBSTONES, k);
            }
            if (!keys.isEmpty()) {
                // Kept so an incremental backup can tell that deletions after its base are gone for good.
                long highest = java.nio.ByteBuffer.wrap(keys.getLast()).getLong();
                if (highest > purgedTombstonesTo(txn)) {
                    txn.reserve(Trees.DB, MemorySegment.ofArray(Trees.PURGED_TOMBSTONES_TO), 8).set(U64, 0, highest);
                }
            }
        } catch (RuntimeException e) {
            throw new DocumentWriteFailedException("tombstone purge", e);
        }
        return keys.size();
    }

    /** {@code key} is {@code DocumentIds.collectionKey(collection)}. */
    private void adjustCount(WriteTxn txn, String collection, byte[] key, long delta) {
        CollectionCount c = deferred.counts.get(java.nio.ByteBuffer.wrap(key));
        if (c == null) {
            c = loadCount(txn, key, collection); // once per scope and collection, so not inlined into put
        }
        c.count += delta;
        if (c.count <= 0 || c.name == null) {
            c.settle(collection); // emptied, or refilled after being emptied: rare
        }
    }

    /**
     * The collection's stored count, kept in the scope. A collection the store does not have yet takes the casing
     * it is first seen with here, so the put that creates it takes the same branches as every later one.
     */
    private CollectionCount loadCount(WriteTxn txn, byte[] key, String collection) {
        MemorySegment old = txn.get(Trees.COLLECTIONS, key);
        CollectionCount c = old == null
                ? new CollectionCount(key, false, 0, collection.getBytes(StandardCharsets.UTF_8))
                : new CollectionCount(key, true, old.get(U64, 0),
                old.asSlice(8).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE));
        deferred.counts.put(java.nio.ByteBuffer.wrap(key), c);
        return c;
    }

    private static void writeCount(WriteTxn txn, byte[] key, long count, byte[] name) {
        MemorySegment v = txn.reserve(Trees.COLLECTIONS, MemorySegment.ofArray(key), 8 + name.length);
        v.set(U64, 0, count);
        MemorySegment.copy(MemorySegment.ofArray(name), 0, v, 8, name.length);
    }

    private static void writeTombstone(WriteTxn txn, long etag, String id, String collection, long now) {
        byte[] col = collection.getBytes(StandardCharsets.UTF_8);
        byte[] idb = id.getBytes(StandardCharsets.UTF_8);
        MemorySegment v = txn.reserve(Trees.TOMBSTONES, MemorySegment.ofArray(DocumentIds.etagKey(etag)),
                12L + col.length + idb.length);
        v.set(U64, 0, now);
        v.set(U16, 8, (short) col.length);
        v.set(U16, 10, (short) idb.length);
        MemorySegment.copy(MemorySegment.ofArray(col), 0, v, 12, col.length);
        MemorySegment.copy(MemorySegment.ofArray(idb), 0, v, 12 + col.length, idb.length);
    }

    static String tombstoneCollection(MemorySegment v) {
        int colLen = Short.toUnsignedInt(v.get(U16, 8));
        return new String(v.asSlice(12, colLen).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE),
                StandardCharsets.UTF_8);
    }

    static Tombstone readTombstone(long etag, MemorySegment v) {
        int colLen = Short.toUnsignedInt(v.get(U16, 8));
        int idLen = Short.toUnsignedInt(v.get(U16, 10));
        String col = new String(v.asSlice(12, colLen).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE),
                StandardCharsets.UTF_8);
        String id = new String(v.asSlice(12 + colLen, idLen).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE),
                StandardCharsets.UTF_8);
        return new Tombstone(etag, id, col, v.get(U64, 0));
    }
}

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

    /** {@code key} is {@code DocumentIds.key(id)}, computed once by the caller. */
    PutResult put(WriteTxn txn, String id, byte[] key, MemorySegment blittable, String expected, long now) {
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
        String collection;
        try {
            collection = DocumentIds.collection(
                    BlitDocuments.metadataString(source, BlitDocuments.COLLECTION_KEY, string) ? string.toString() : null);
        } catch (IllegalStateException e) {
            throw new InvalidDocumentException("document '" + id + "': @metadata.@collection must be a string");
        }
        byte[] colBytes = collection.getBytes(StandardCharsets.UTF_8);
        byte[] colKey = DocumentIds.collectionKey(collection);
        byte[] oldColKey = oldCollection == null ? null : DocumentIds.collectionKey(oldCollection);
        boolean moved = oldColKey != null && !Arrays.equals(oldColKey, colKey);
        long etag = lastEtag(txn) + (moved ? 2 : 1);
        String changeVector = DocumentIds.changeVector(etag, databaseId);
        int len;
        try {
            builder.spillTo(stampSpace, source.length() + 4096L);
            len = BlitDocuments.withMetadata(source, id, collection, changeVector,
                    Instant.ofEpochMilli(now).toString(), builder);
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
                    adjustCount(txn, oldCollection, -1);
                    writeTombstone(txn, etag - 1, id, oldCollection, now);
                }
            }
            if (old == null || moved) {
                adjustCount(txn, collection, +1);
            }
            MemorySegment target = txn.reserve(Trees.DOCS, MemorySegment.ofArray(key), total);
            StoredDocument.writeHeader(target, etag, now, 0, colBytes, idBytes);
            MemorySegment.copy(builder.segment(), 0, target, StoredDocument.headerSize(colBytes, idBytes), len);
            txn.put(Trees.ETAGS, DocumentIds.etagKey(etag), key);
            txn.put(Trees.COLLECTION_ETAGS, DocumentIds.collectionEtagKey(colKey, etag), key);
            setLastEtag(txn, etag);
        } catch (RuntimeException e) {
            throw new DocumentWriteFailedException("put of document '" + id + "'", e);
        } finally {
            builder.trim(); // the merger thread keeps no buffer grown for one large document
            stampSpace.close(); // nor native memory
        }
        return new PutResult(id, changeVector, etag, collection);
    }

    DeleteResult delete(WriteTxn txn, String id, String expected, long now) {
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
        long etag = lastEtag(txn) + 1;
        try {
            txn.delete(Trees.DOCS, key);
            txn.delete(Trees.ETAGS, DocumentIds.etagKey(oldEtag));
            txn.delete(Trees.COLLECTION_ETAGS,
                    DocumentIds.collectionEtagKey(DocumentIds.collectionKey(collection), oldEtag));
            adjustCount(txn, collection, -1);
            writeTombstone(txn, etag, storedId, collection, now);
            setLastEtag(txn, etag);
        } catch (RuntimeException e) {
            throw new DocumentWriteFailedException("delete of document '" + id + "'", e);
        }
        return new DeleteResult(storedId, true, etag);
    }

    List<Object> batch(WriteTxn txn, List<DocumentCommand> commands, long now) {
        List<Object> results = new ArrayList<>(commands.size());
        for (int i = 0; i < commands.size(); i++) {
            DocumentCommand c = commands.get(i);
            try {
                results.add(switch (c) {
                    case DocumentCommand.Put p -> put(txn, p.id(), MemorySegment.ofArray(p.blittable()),
                            p.expectedChangeVector(), now);
                    case DocumentCommand.Delete d -> delete(txn, d.id(), d.expectedChangeVector(), now);
                });
            } catch (RuntimeException e) {
                throw new BatchCommandException(i, c, e);
            }
        }
        return results;
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

    private static void adjustCount(WriteTxn txn, String collection, long delta) {
        byte[] key = DocumentIds.collectionKey(collection);
        MemorySegment old = txn.get(Trees.COLLECTIONS, key);
        long count = (old == null ? 0 : old.get(U64, 0)) + delta;
        if (count <= 0) {
            txn.delete(Trees.COLLECTIONS, key);
            return;
        }
        // Keep the casing the collection was first seen with.
        byte[] name = old == null ? collection.getBytes(StandardCharsets.UTF_8)
                : old.asSlice(8).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
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

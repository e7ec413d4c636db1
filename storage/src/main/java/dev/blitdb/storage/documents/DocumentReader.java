package dev.blitdb.storage.documents;

import dev.blitdb.storage.engine.Cursor;
import dev.blitdb.storage.engine.ReadTxn;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A consistent view of one database (a read transaction): lock-free, never blocks writers. Use it from one thread
 * and close it promptly (open readers pin pages). Every {@link StoredDocument} it fills and every segment it returns
 * is valid until {@link #close()}. One made by {@link #reusable()} can be opened again after it is closed.
 */
public final class DocumentReader implements AutoCloseable {

    private static final ValueLayout.OfLong ETAG_KEY =
            ValueLayout.JAVA_LONG_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN);

    private final ReadTxn txn;
    private String databaseId;

    DocumentReader(ReadTxn txn, String databaseId) {
        this.txn = txn;
        this.databaseId = databaseId;
    }

    /**
     * A closed reader to be opened, again and again, by {@link DocumentStore#beginRead(DocumentReader)} — of any
     * store — without allocating. Its owner keeps it to itself: a reference kept past a close would read the next
     * opening's snapshot (see {@link ReadTxn#reopen}).
     */
    public static DocumentReader reusable() {
        return new DocumentReader(ReadTxn.reusable(), null);
    }

    DocumentReader reopen(dev.blitdb.storage.engine.Store store, String databaseId) {
        txn.reopen(store);
        this.databaseId = databaseId;
        return this;
    }

    /** Points {@code into} at the document with this id (any casing); false when there is none. */
    public boolean get(String id, StoredDocument into) {
        MemorySegment rec = txn.get(Trees.DOCS, DocumentIds.key(id));
        if (rec == null) {
            return false;
        }
        into.wrap(rec, databaseId);
        return true;
    }

    /**
     * Points {@code into} at the document whose lookup key — the id lowercased ({@link java.util.Locale#ROOT}),
     * UTF-8, as an index stores it — is {@code key}; false when there is none. No id checks, no string: for
     * callers that got the key from the store (an index entry).
     */
    public boolean getByKey(MemorySegment key, StoredDocument into) {
        MemorySegment rec = txn.get(Trees.DOCS, key);
        if (rec == null) {
            return false;
        }
        into.wrap(rec, databaseId);
        return true;
    }

    /** The change vector of the document, or null when it does not exist (for HEAD / If-None-Match). */
    public String changeVector(String id) {
        StoredDocument d = new StoredDocument();
        return get(id, d) ? d.changeVector() : null;
    }

    /** The highest etag given out so far (0 for an empty database). */
    public long lastEtag() {
        return DocumentWriter.lastEtag(txn);
    }

    /**
     * The highest etag of a tombstone purged from this database so far (0: none ever was): deletions up to it are
     * no longer recorded, so changes since an etag below it cannot be read back completely.
     */
    public long purgedTombstonesTo() {
        return DocumentWriter.purgedTombstonesTo(txn);
    }

    /** Live documents. */
    public long documentCount() {
        return txn.count(Trees.DOCS);
    }

    /** Tombstones kept. */
    public long tombstoneCount() {
        return txn.count(Trees.TOMBSTONES);
    }

    /** Documents whose lowercased id starts with the lowercased {@code prefix}, in id order, after skipping {@code skip}. */
    public DocumentIterator startsWith(String prefix, int skip) {
        byte[] p = prefix.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8);
        DocumentIterator it = new DocumentIterator(txn, databaseId, Trees.DOCS, DocumentIterator.Mode.DOCS_BY_ID,
                p.length == 0 ? null : p, p.length == 0 ? new byte[]{0} : p);
        StoredDocument skipped = new StoredDocument();
        for (int i = 0; i < skip && it.next(skipped); i++) {
            // skip
        }
        return it;
    }

    /** All documents in etag (write) order, from {@code fromEtag} inclusive. */
    public DocumentIterator byEtag(long fromEtag) {
        return new DocumentIterator(txn, databaseId, Trees.ETAGS, DocumentIterator.Mode.DOCS_BY_REFERENCE, null,
                DocumentIds.etagKey(fromEtag));
    }

    /** One collection's documents in etag order, from {@code fromEtag} inclusive (collection name in any casing). */
    public DocumentIterator collection(String collection, long fromEtag) {
        byte[] colKey = DocumentIds.collectionKey(collection);
        return new DocumentIterator(txn, databaseId, Trees.COLLECTION_ETAGS, DocumentIterator.Mode.DOCS_BY_REFERENCE,
                DocumentIds.collectionPrefix(colKey), DocumentIds.collectionEtagKey(colKey, fromEtag));
    }

    /** Up to {@code max} tombstones from {@code fromEtag} inclusive, optionally of one collection (null = all). */
    public List<Tombstone> tombstones(long fromEtag, String collection, int max) {
        List<Tombstone> out = new ArrayList<>();
        Cursor c = txn.cursor(Trees.TOMBSTONES);
        for (c.seek(DocumentIds.etagKey(fromEtag)); c.valid() && out.size() < max; c.next()) {
            Tombstone t = DocumentWriter.readTombstone(ByteBuffer.wrap(c.keyBytes()).getLong(), c.value());
            if (collection == null || t.collection().equalsIgnoreCase(collection)) {
                out.add(t);
            }
        }
        return out;
    }

    /**
     * Whether a tombstone of {@code collection} (any casing) has an etag in {@code fromEtag..toEtag} (inclusive).
     * Reads only that range of the tombstone tree, and of each tombstone only its collection name.
     */
    public boolean hasTombstone(String collection, long fromEtag, long toEtag) {
        if (fromEtag > toEtag) {
            return false;
        }
        Cursor c = txn.cursor(Trees.TOMBSTONES);
        for (c.seek(DocumentIds.etagKey(fromEtag)); c.valid(); c.next()) {
            if (c.key().get(ETAG_KEY, 0) > toEtag) { // etag keys are big-endian
                return false;
            }
            if (DocumentWriter.tombstoneCollection(c.value()).equalsIgnoreCase(collection)) {
                return true;
            }
        }
        return false;
    }

    /** Document count per collection, by the collection's original name, in name order. */
    public Map<String, Long> collections() {
        Map<String, Long> out = new LinkedHashMap<>();
        Cursor c = txn.cursor(Trees.COLLECTIONS);
        for (c.first(); c.valid(); c.next()) {
            MemorySegment v = c.value();
            out.put(new String(v.asSlice(8).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8),
                    v.get(StoredDocument.U64, 0));
        }
        return out;
    }

    /**
     * The hi-lo counters: lowercased collection (tag) → highest number handed out, in tag order (what an export
     * carries so ids handed out before it are never handed out again after an import).
     */
    public Map<String, Long> hiLo() {
        Map<String, Long> out = new LinkedHashMap<>();
        Cursor c = txn.cursor(Trees.HILO);
        for (c.first(); c.valid(); c.next()) {
            out.put(new String(c.keyBytes(), StandardCharsets.UTF_8), c.value().get(StoredDocument.U64, 0));
        }
        return out;
    }

    /** Documents in one collection (any casing). */
    public long collectionCount(String collection) {
        MemorySegment v = txn.get(Trees.COLLECTIONS, DocumentIds.collectionKey(collection));
        return v == null ? 0 : v.get(StoredDocument.U64, 0);
    }

    /** Hints the kernel to read this document's pages ahead ({@code madvise(MADV_WILLNEED)}). */
    public void prefetch(StoredDocument doc) {
        txn.prefetch(doc.record());
    }

    /** The underlying read transaction (same lifetime). */
    public ReadTxn txn() {
        return txn;
    }

    @Override
    public void close() {
        txn.close();
    }
}

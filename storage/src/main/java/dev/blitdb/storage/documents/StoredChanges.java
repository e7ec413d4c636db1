package dev.blitdb.storage.documents;

import dev.blitdb.storage.engine.Cursor;
import dev.blitdb.storage.engine.ReadTxn;
import dev.blitdb.storage.engine.WriteTxn;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Set;

/**
 * The store's changes as stored bytes, for incremental backups: what a backup reads (document records and
 * tombstones in etag order, the small "state" trees whole) and what a restore writes back, byte for byte, at the
 * same etags — so a restored database has the same change vectors as the source and its indexes can resume by
 * etag. The restore side bypasses the document checks of {@link DocumentWriter}: it is only for a store being
 * rebuilt from a verified backup, before anything else uses it.
 */
public final class StoredChanges {

    private static final ValueLayout.OfLong ETAG_KEY = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    /** Trees rebuilt record by record from documents and tombstones; every other tree is copied whole. */
    private static final Set<String> CHANGE_TREES = Set.of(Trees.DOCS, Trees.ETAGS, Trees.COLLECTION_ETAGS,
            Trees.TOMBSTONES);

    private StoredChanges() {
    }

    /** Whether {@code tree} is a small state tree (collections, hi-lo, index definitions, database metadata…). */
    public static boolean isStateTree(String tree) {
        return !CHANGE_TREES.contains(tree);
    }

    /** A cursor over the tombstones, keys = 8-byte big-endian etags; seek with {@link #etagKey(long)}. */
    public static Cursor tombstones(ReadTxn txn) {
        return txn.cursor(Trees.TOMBSTONES);
    }

    public static byte[] etagKey(long etag) {
        return DocumentIds.etagKey(etag);
    }

    /** The etag of a tombstone cursor's current key. */
    public static long tombstoneEtag(Cursor c) {
        return c.key().get(ETAG_KEY, 0);
    }

    /** A stored document record's etag (the record as {@link StoredDocument#record()} gives it). */
    public static long recordEtag(MemorySegment record) {
        return record.get(StoredDocument.U64, 0);
    }

    /**
     * Writes a document record as it was stored at the source (its etag in its header): replaces the current
     * version of the same id, and indexes it by etag and by collection and etag.
     */
    public static void applyDocument(WriteTxn txn, MemorySegment record) {
        StoredDocument d = new StoredDocument().wrap(record, "");
        byte[] key = DocumentIds.key(d.id());
        removeCurrent(txn, key);
        long etag = d.etag();
        txn.put(Trees.DOCS, MemorySegment.ofArray(key), record);
        txn.put(Trees.ETAGS, DocumentIds.etagKey(etag), key);
        txn.put(Trees.COLLECTION_ETAGS, DocumentIds.collectionEtagKey(DocumentIds.collectionKey(d.collection()),
                etag), key);
    }

    /**
     * Writes a tombstone as it was stored at the source, and removes the document it deleted if the store still
     * holds an older version of it.
     */
    public static void applyTombstone(WriteTxn txn, long etag, MemorySegment value) {
        Tombstone t = DocumentWriter.readTombstone(etag, value);
        byte[] key = DocumentIds.key(t.id());
        MemorySegment old = txn.get(Trees.DOCS, key);
        if (old != null && recordEtag(old) < etag) { // in etag order, an older version is the one deleted
            removeCurrent(txn, key);
        }
        txn.put(Trees.TOMBSTONES, MemorySegment.ofArray(DocumentIds.etagKey(etag)), value);
    }

    /**
     * Replaces the whole content of a state tree with {@code entries} (key, value pairs as the source held them);
     * null or empty entries leave the tree empty.
     */
    public static void replaceStateTree(WriteTxn txn, String tree, java.util.List<byte[][]> entries) {
        if (!isStateTree(tree)) {
            throw new IllegalArgumentException(tree + " is rebuilt from documents and tombstones, not replaced");
        }
        if (txn.hasTree(tree)) {
            java.util.List<byte[]> keys = new java.util.ArrayList<>();
            Cursor c = txn.cursor(tree);
            for (c.first(); c.valid(); c.next()) {
                keys.add(c.keyBytes());
            }
            for (byte[] k : keys) {
                txn.delete(tree, k);
            }
        }
        if (entries != null) {
            for (byte[][] e : entries) {
                txn.put(tree, e[0], e[1]);
            }
        }
    }

    private static void removeCurrent(WriteTxn txn, byte[] key) {
        MemorySegment old = txn.get(Trees.DOCS, key);
        if (old == null) {
            return;
        }
        StoredDocument d = new StoredDocument().wrap(old, "");
        long oldEtag = d.etag();
        byte[] colKey = DocumentIds.collectionKey(d.collection());
        txn.delete(Trees.DOCS, key);
        txn.delete(Trees.ETAGS, DocumentIds.etagKey(oldEtag));
        txn.delete(Trees.COLLECTION_ETAGS, DocumentIds.collectionEtagKey(colKey, oldEtag));
    }
}

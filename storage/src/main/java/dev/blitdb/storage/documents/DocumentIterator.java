package dev.blitdb.storage.documents;

import dev.blitdb.storage.engine.Cursor;
import dev.blitdb.storage.engine.ReadTxn;

import java.lang.foreign.MemorySegment;

/**
 * Walks documents in one order — by id prefix, by etag, or one collection by etag — filling a reusable
 * {@link StoredDocument}. No allocation per step. Valid while its {@link DocumentReader} is open.
 */
public final class DocumentIterator {

    enum Mode { DOCS_BY_ID, DOCS_BY_REFERENCE }

    private final ReadTxn txn;
    private final String databaseId;
    private final String tree;
    private final Cursor cursor;
    private final Mode mode;
    private final MemorySegment prefix;
    private boolean started;
    private MemorySegment[] upcoming = new MemorySegment[0];
    /**
     * The records {@link #prefetchNext} found, in the order {@link #next} will reach them (null where a reference
     * had no record): handed out by {@code next} instead of a second lookup of the same document in the
     * {@code docs} tree. Views of the snapshot's pages, valid as long as the read transaction.
     */
    private MemorySegment[] found = new MemorySegment[0];
    private int foundNext;
    private int foundCount;

    DocumentIterator(ReadTxn txn, String databaseId, String tree, Mode mode, byte[] prefix, byte[] seek) {
        this.txn = txn;
        this.databaseId = databaseId;
        this.tree = tree;
        this.cursor = txn.cursor(tree);
        this.mode = mode;
        this.prefix = prefix == null ? null : MemorySegment.ofArray(prefix);
        cursor.seek(seek);
    }

    /** Moves to the next document and points {@code into} at it; false at the end. */
    public boolean next(StoredDocument into) {
        if (started) {
            cursor.next();
        }
        started = true;
        if (!cursor.valid() || (prefix != null && !cursor.keyStartsWith(prefix))) {
            return false;
        }
        MemorySegment known = foundNext < foundCount ? found[foundNext++] : null;
        into.wrap(known != null ? known : record(cursor), databaseId);
        return true;
    }

    /**
     * The store key of the current document — its id lowercased ({@link java.util.Locale#ROOT}), UTF-8 — as a view
     * of the mapped page, valid until {@link #next} or the reader closes. An indexer uses it as the entry's key
     * without decoding the id.
     */
    public MemorySegment key() {
        return mode == Mode.DOCS_BY_ID ? cursor.key() : cursor.value();
    }

    private MemorySegment record(Cursor c) {
        return mode == Mode.DOCS_BY_ID ? c.value() : txn.get(Trees.DOCS, c.value());
    }

    /**
     * Hints the kernel to read the next {@code count} documents ahead ({@code madvise(MADV_WILLNEED)}), without
     * moving this iterator. An indexer calls it on the batch after the one it is about to process. The records
     * found on the way are kept, so the next {@code count} calls of {@link #next} look none of them up again.
     *
     * @return how many documents were advised
     */
    public int prefetchNext(int count) {
        if (!cursor.valid()) {
            return 0;
        }
        Cursor ahead = txn.cursor(tree);
        ahead.seek(cursor.key());
        int n = 0;
        if (started) {
            ahead.next();
        }
        if (upcoming.length < count) {
            upcoming = new MemorySegment[count];
            found = new MemorySegment[count];
        }
        int records = 0;
        for (; n < count && ahead.valid() && (prefix == null || ahead.keyStartsWith(prefix)); ahead.next()) {
            MemorySegment rec = record(ahead);
            if (rec != null) {
                upcoming[records++] = rec;
            }
            found[n] = rec; // the n-th next() from here lands on this one
            n++;
        }
        foundNext = 0;
        foundCount = n;
        txn.prefetch(upcoming, records); // merged into a few page ranges
        java.util.Arrays.fill(upcoming, 0, records, null);
        return n;
    }

}

package dev.blitdb.storage.engine;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What read and write transactions share: point reads, cursors and tree lookups against one consistent state.
 * A transaction is used by one thread at a time.
 *
 * <p>Every {@code MemorySegment} handed out is a slice of the mapped file. In a {@link ReadTxn} it stays valid
 * until that transaction closes. In a {@link WriteTxn} it stays valid until the next change to the same tree
 * (a put may move cells) or the end of the transaction.
 */
public abstract sealed class Txn implements AutoCloseable permits ReadTxn, WriteTxn {

    /** Not final: a reusable {@link ReadTxn} is pointed at another store when it is reopened. */
    Store store;

    Txn(Store store) {
        this.store = store;
    }

    /** The mapping this transaction reads through. */
    abstract MemorySegment map();

    /** The catalog tree of this state. */
    abstract TreeRoot catalog();

    /** The named tree, or null if it does not exist in this state. */
    abstract TreeRoot tree(String name);

    abstract void checkOpen();

    /** Id of the committed transaction this state is (a write transaction: the id it will commit as). */
    public abstract long id();

    /**
     * The 8-byte value carried by the commit this state is ({@link WriteTxn#setCommitValue}); 0 if never set.
     */
    public abstract long commitValue();

    /** Looks a tree up in the catalog: its record, or null. */
    final TreeRecord readCatalog(String name) {
        TreeRoot cat = catalog();
        byte[] key = name.getBytes(StandardCharsets.UTF_8);
        MemorySegment k = MemorySegment.ofArray(key);
        long cell = BTree.findCell(map(), cat, k, 0, key.length);
        if (cell < 0) {
            return null;
        }
        return TreeRecord.read(map(), Page.leafValue(map(), cell));
    }

    /**
     * The value stored under {@code key} in {@code tree}, as a slice of the mapping, or null when the tree or the key
     * does not exist. Valid as the class comment says. No copy is made.
     */
    public final MemorySegment get(String tree, MemorySegment key) {
        checkOpen();
        TreeRoot t = tree(tree);
        if (t == null) {
            return null;
        }
        MemorySegment m = map();
        long cell = BTree.findCell(m, t, key, 0, (int) key.byteSize());
        return cell < 0 ? null : BTree.value(m, cell);
    }

    /** {@link #get(String, MemorySegment)} for a key in a byte array. */
    public final MemorySegment get(String tree, byte[] key) {
        return get(tree, MemorySegment.ofArray(key));
    }

    /** Number of entries in the tree (0 when it does not exist); read from the catalog, no walk. */
    public final long count(String tree) {
        checkOpen();
        TreeRoot t = tree(tree);
        return t == null ? 0 : t.entries();
    }

    /** Whether the named tree exists. */
    public final boolean hasTree(String tree) {
        checkOpen();
        return tree(tree) != null;
    }

    /** A cursor over the tree, unpositioned; an absent tree gives a cursor that is never valid. */
    public final Cursor cursor(String tree) {
        checkOpen();
        return new Cursor(this, tree(tree));
    }

    /** Names of all trees, in byte order. */
    public final List<String> treeNames() {
        checkOpen();
        List<String> names = new ArrayList<>();
        Cursor c = new Cursor(this, catalog());
        for (c.first(); c.valid(); c.next()) {
            names.add(new String(c.key().toArray(java.lang.foreign.ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8));
        }
        return names;
    }

    /**
     * Asks the kernel to read ahead the pages under {@code value} ({@code madvise(MADV_WILLNEED)}): use it on the
     * documents a loop will touch next. Counted in {@link Store#adviceStats()}; a no-op without native access.
     */
    public final void prefetch(MemorySegment value) {
        store.advise(value, dev.blitdb.storage.nativeio.NativeIo.MADV_WILLNEED);
    }

    /** Pages closer than this are advised together, the gap included: one call is cheaper than two. */
    static final long PREFETCH_MERGE_GAP_PAGES = 16;

    /**
     * Advises {@code count} values at once ({@code madvise(MADV_WILLNEED)}): their pages are sorted and merged into
     * ranges, neighbours less than {@value #PREFETCH_MERGE_GAP_PAGES} pages apart joined, so a batch of scattered
     * documents costs a few system calls instead of one per document. Values must be slices of this
     * transaction's mapping (as {@link #get} returns them).
     */
    public final void prefetch(MemorySegment[] values, int count) {
        checkOpen();
        if (count == 0) {
            return;
        }
        MemorySegment m = map();
        long base = m.address();
        long[] packed = new long[count]; // first page << 20 | page count
        for (int i = 0; i < count; i++) {
            long from = values[i].address() - base;
            long first = from / Limits.PAGE_SIZE;
            long last = (from + Math.max(1, values[i].byteSize()) - 1) / Limits.PAGE_SIZE;
            packed[i] = first << 20 | Math.min(last - first + 1, (1 << 20) - 1);
        }
        java.util.Arrays.sort(packed);
        long runFirst = packed[0] >>> 20;
        long runEnd = runFirst + (packed[0] & 0xFFFFF);
        for (int i = 1; i <= count; i++) {
            long first = i < count ? packed[i] >>> 20 : Long.MAX_VALUE;
            if (first <= runEnd + PREFETCH_MERGE_GAP_PAGES) {
                runEnd = Math.max(runEnd, first + (packed[i] & 0xFFFFF));
                continue;
            }
            long end = Math.min(runEnd * Limits.PAGE_SIZE, m.byteSize());
            store.advise(m.asSlice(runFirst * Limits.PAGE_SIZE, end - runFirst * Limits.PAGE_SIZE),
                    dev.blitdb.storage.nativeio.NativeIo.MADV_WILLNEED);
            if (i < count) {
                runFirst = first;
                runEnd = first + (packed[i] & 0xFFFFF);
            }
        }
    }
}

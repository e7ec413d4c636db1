package dev.blitdb.storage.engine;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Walks one tree in key order, forwards or backwards. Holds a root-to-leaf path of page offsets and cell indexes
 * in two small arrays and allocates nothing while moving.
 *
 * <p>Valid while its transaction is open. In a write transaction, any put or delete on the same tree invalidates
 * the position: seek again. {@link #key()} and {@link #value()} return slices of the mapping, valid as the
 * transaction's class comment says.
 */
public final class Cursor {

    private static final int MAX_DEPTH = 32;

    private final Txn txn;
    private final TreeRoot tree;
    private final long[] pages = new long[MAX_DEPTH];
    private final int[] index = new int[MAX_DEPTH];
    private boolean valid;

    Cursor(Txn txn, TreeRoot tree) {
        this.txn = txn;
        this.tree = tree;
    }

    /** Whether the cursor is on an entry. */
    public boolean valid() {
        return valid;
    }

    /** Moves to the smallest key; returns {@link #valid()}. */
    public boolean first() {
        return edge(false);
    }

    /** Moves to the largest key; returns {@link #valid()}. */
    public boolean last() {
        return edge(true);
    }

    private boolean edge(boolean last) {
        txn.checkOpen();
        valid = false;
        if (tree == null || tree.root() == 0) {
            return false;
        }
        descend(0, Page.offset(tree.root()), last);
        valid = true;
        return true;
    }

    private void descend(int level, long p, boolean last) {
        MemorySegment m = txn.map();
        int leafLevel = tree.depth() - 1;
        for (; ; level++) {
            pages[level] = p;
            int i = last ? Page.count(m, p) - 1 : 0;
            index[level] = i;
            if (level == leafLevel) {
                return;
            }
            p = Page.offset(Page.branchChild(m, Page.cell(m, p, i)));
        }
    }

    /** Moves to the first key at or after {@code key}; returns {@link #valid()}. */
    public boolean seek(MemorySegment key) {
        txn.checkOpen();
        valid = false;
        if (tree == null || tree.root() == 0) {
            return false;
        }
        MemorySegment m = txn.map();
        int kLen = (int) key.byteSize();
        long p = Page.offset(tree.root());
        int leafLevel = tree.depth() - 1;
        for (int level = 0; level < leafLevel; level++) {
            pages[level] = p;
            int i = Page.searchBranch(m, p, key, 0, kLen);
            index[level] = i;
            p = Page.offset(Page.branchChild(m, Page.cell(m, p, i)));
        }
        pages[leafLevel] = p;
        int i = Page.searchLeaf(m, p, key, 0, kLen);
        if (i < 0) {
            i = -(i + 1);
        }
        index[leafLevel] = i;
        valid = true;
        if (i >= Page.count(m, p)) {
            index[leafLevel] = i - 1;
            return next();
        }
        return true;
    }

    /** {@link #seek(MemorySegment)} with a byte-array key. */
    public boolean seek(byte[] key) {
        return seek(MemorySegment.ofArray(key));
    }

    /** Moves to the next key; returns {@link #valid()}. */
    public boolean next() {
        if (!valid) {
            return false;
        }
        MemorySegment m = txn.map();
        int level = tree.depth() - 1;
        while (level >= 0 && index[level] + 1 >= Page.count(m, pages[level])) {
            level--;
        }
        if (level < 0) {
            valid = false;
            return false;
        }
        index[level]++;
        if (level < tree.depth() - 1) {
            long child = Page.offset(Page.branchChild(m, Page.cell(m, pages[level], index[level])));
            descend(level + 1, child, false);
        }
        return true;
    }

    /** Moves to the previous key; returns {@link #valid()}. */
    public boolean prev() {
        if (!valid) {
            return false;
        }
        MemorySegment m = txn.map();
        int level = tree.depth() - 1;
        while (level >= 0 && index[level] == 0) {
            level--;
        }
        if (level < 0) {
            valid = false;
            return false;
        }
        index[level]--;
        if (level < tree.depth() - 1) {
            long child = Page.offset(Page.branchChild(m, Page.cell(m, pages[level], index[level])));
            descend(level + 1, child, true);
        }
        return true;
    }

    private long cell() {
        if (!valid) {
            throw new IllegalStateException("cursor is not on an entry");
        }
        int leaf = tree.depth() - 1;
        return Page.cell(txn.map(), pages[leaf], index[leaf]);
    }

    /** The current key, a slice of the mapping. */
    public MemorySegment key() {
        return BTree.key(txn.map(), cell());
    }

    /** The current value, one contiguous slice of the mapping. */
    public MemorySegment value() {
        return BTree.value(txn.map(), cell());
    }

    /** Length of the current key in bytes. */
    public int keyLength() {
        return Page.keyLength(txn.map(), cell());
    }

    /** The current key's bytes, copied. */
    public byte[] keyBytes() {
        return key().toArray(ValueLayout.JAVA_BYTE);
    }

    /** Whether the current key starts with {@code prefix} (compared in place, no allocation). */
    public boolean keyStartsWith(MemorySegment prefix) {
        MemorySegment m = txn.map();
        long c = cell();
        int len = Page.keyLength(m, c);
        int pLen = (int) prefix.byteSize();
        if (len < pLen) {
            return false;
        }
        return MemorySegment.mismatch(m, Page.leafKey(c), Page.leafKey(c) + pLen, prefix, 0, pLen) < 0;
    }
}

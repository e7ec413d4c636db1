package dev.blitdb.storage.engine;

import java.lang.foreign.MemorySegment;

/** Read-side B+tree walks shared by point reads, cursors and the writer. Static and allocation-free. */
final class BTree {

    private BTree() {
    }

    /** Byte offset of the leaf page that would hold {@code key}, or -1 for an empty tree. */
    static long findLeaf(MemorySegment m, TreeRoot t, MemorySegment key, long kOff, int kLen) {
        long root = t.root();
        if (root == 0) {
            return -1;
        }
        long p = Page.offset(root);
        for (int level = t.depth() - 1; level > 0; level--) {
            int i = Page.searchBranch(m, p, key, kOff, kLen);
            p = Page.offset(Page.branchChild(m, Page.cell(m, p, i)));
        }
        return p;
    }

    /** Byte offset of the leaf cell holding {@code key}, or -1. */
    static long findCell(MemorySegment m, TreeRoot t, MemorySegment key, long kOff, int kLen) {
        long p = findLeaf(m, t, key, kOff, kLen);
        if (p < 0) {
            return -1;
        }
        int i = Page.searchLeaf(m, p, key, kOff, kLen);
        return i < 0 ? -1 : Page.cell(m, p, i);
    }

    /** The value of a leaf cell as one slice of the mapping (inline, or the contiguous overflow run). */
    static MemorySegment value(MemorySegment m, long cell) {
        int len = Page.leafValueLength(m, cell);
        long at = Page.leafValue(m, cell);
        if (Page.leafKind(m, cell) == Page.KIND_OVERFLOW) {
            at = Page.offset(m.get(Page.U64, at)) + Page.HEADER;
        }
        return m.asSlice(at, len);
    }

    /** The key of a leaf cell as a slice of the mapping. */
    static MemorySegment key(MemorySegment m, long cell) {
        return m.asSlice(Page.leafKey(cell), Page.keyLength(m, cell));
    }

    /** Calls {@code action} with the offset of every leaf cell, in key order. */
    static void forEachLeafCell(MemorySegment m, TreeRoot t, java.util.function.LongConsumer action) {
        if (t.root() != 0) {
            forEach(m, t.root(), t.depth() - 1, action);
        }
    }

    private static void forEach(MemorySegment m, long page, int levelsBelow, java.util.function.LongConsumer action) {
        long p = Page.offset(page);
        int n = Page.count(m, p);
        for (int i = 0; i < n; i++) {
            long c = Page.cell(m, p, i);
            if (levelsBelow == 0) {
                action.accept(c);
            } else {
                forEach(m, Page.branchChild(m, c), levelsBelow - 1, action);
            }
        }
    }
}

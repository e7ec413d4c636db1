package dev.blitdb.storage.engine;

import java.lang.foreign.MemorySegment;

/**
 * What the catalog stores for one named tree (48 bytes): root page (0 = empty tree), depth, entry count and page
 * counts by kind. Immutable; a write transaction replaces it.
 */
record TreeRecord(long root, int depth, long entries, long branchPages, long leafPages, long overflowPages)
        implements TreeRoot {

    static final int BYTES = 48;
    static final TreeRecord EMPTY = new TreeRecord(0, 0, 0, 0, 0, 0);

    void write(MemorySegment m, long off) {
        m.set(Page.U64, off, root);
        m.set(Page.U64, off + 8, depth);
        m.set(Page.U64, off + 16, entries);
        m.set(Page.U64, off + 24, branchPages);
        m.set(Page.U64, off + 32, leafPages);
        m.set(Page.U64, off + 40, overflowPages);
    }

    static TreeRecord read(MemorySegment m, long off) {
        return new TreeRecord(m.get(Page.U64, off), (int) m.get(Page.U64, off + 8), m.get(Page.U64, off + 16),
                m.get(Page.U64, off + 24), m.get(Page.U64, off + 32), m.get(Page.U64, off + 40));
    }

    long totalPages() {
        return branchPages + leafPages + overflowPages;
    }
}

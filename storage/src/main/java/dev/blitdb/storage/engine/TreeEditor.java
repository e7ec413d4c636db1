package dev.blitdb.storage.engine;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Copy-on-write changes to one B+tree inside a write transaction. Going down, every page on the path that an
 * earlier commit wrote is copied to a fresh page first ({@link #touch}); the old page goes on the pending list.
 * Pages the transaction already owns are changed in place. Splits move half the bytes (or, for an append at the
 * right edge, just the new cell) to a new right sibling and push its first key up.
 *
 * <p>Offsets are byte offsets in the file; the mapping may be replaced by growth in the middle of an operation,
 * so the segment is re-read from the transaction after every allocation.
 */
final class TreeEditor {

    private static final int MAX_DEPTH = 32;

    private final WriteTxn txn;
    private final MemorySegment pageCopy;
    private final MemorySegment cellBuf;
    private final MemorySegment sepBuf;
    private final long[] path = new long[MAX_DEPTH];
    private final int[] pathIdx = new int[MAX_DEPTH];
    private MutableTree tree;

    TreeEditor(WriteTxn txn) {
        this.txn = txn;
        Arena arena = Arena.ofAuto();
        pageCopy = arena.allocate(Limits.PAGE_SIZE);
        cellBuf = arena.allocate(Limits.PAGE_SIZE);
        sepBuf = arena.allocate(Limits.PAGE_SIZE);
    }

    /**
     * Inserts or replaces {@code key}; returns the byte offset in the file where the caller writes the value's
     * {@code valueLength} bytes.
     */
    long put(MutableTree t, MemorySegment key, int kLen, long valueLength) {
        tree = t;
        t.changed = true;
        boolean inline = Page.inline(kLen, valueLength);
        if (t.root == 0) {
            long leaf = txn.allocRun(1);
            initTreePage(leaf, Page.LEAF);
            t.root = leaf;
            t.depth = 1;
            t.leafPages++;
        }
        long leafPage = descendForWrite(t, key, kLen);
        MemorySegment m = txn.map();
        long lp = Page.offset(leafPage);
        int pos = Page.searchLeaf(m, lp, key, 0, kLen);
        if (pos >= 0) {
            removeLeafCell(lp, pos);
        } else {
            pos = -(pos + 1);
            t.entries++;
        }
        long overflow = 0;
        if (!inline) {
            int n = Page.overflowPages(valueLength);
            overflow = txn.allocRun(n);
            m = txn.map();
            long op = Page.offset(overflow);
            m.asSlice(op, Page.HEADER).fill((byte) 0);
            m.set(ValueLayout.JAVA_BYTE, op + Page.OFF_TYPE, Page.OVERFLOW);
            m.set(Page.U64, op + Page.OFF_NUMBER, overflow);
            m.set(Page.U64, op + Page.OFF_TXN, txn.id());
            m.set(Page.U32, op + Page.OFF_LOWER, (int) valueLength);
            m.set(Page.U32, op + Page.OFF_UPPER, n);
            t.overflowPages += n;
        }
        int cellLen = Page.LEAF_CELL_HEADER + kLen + (inline ? (int) valueLength : 8);
        cellBuf.set(Page.U16, 0, (short) kLen);
        cellBuf.set(ValueLayout.JAVA_BYTE, 2, inline ? Page.KIND_INLINE : Page.KIND_OVERFLOW);
        cellBuf.set(Page.U32, 3, (int) valueLength);
        MemorySegment.copy(key, 0, cellBuf, Page.LEAF_CELL_HEADER, kLen);
        if (!inline) {
            cellBuf.set(Page.U64, Page.LEAF_CELL_HEADER + kLen, overflow);
        }
        long cellAt = insertCell(t.depth - 1, leafPage, pos, cellBuf, cellLen);
        return inline ? cellAt + Page.LEAF_CELL_HEADER + kLen : Page.offset(overflow) + Page.HEADER;
    }

    /** Removes {@code key}; returns whether it was there. */
    boolean delete(MutableTree t, MemorySegment key, int kLen) {
        tree = t;
        if (t.root == 0 || BTree.findCell(txn.map(), t, key, 0, kLen) < 0) {
            return false;
        }
        t.changed = true;
        long leafPage = descendForWrite(t, key, kLen);
        MemorySegment m = txn.map();
        long lp = Page.offset(leafPage);
        int pos = Page.searchLeaf(m, lp, key, 0, kLen);
        removeLeafCell(lp, pos);
        t.entries--;
        if (Page.count(m, lp) == 0) {
            removeEmpty(t.depth - 1);
        }
        collapseRoot(t);
        return true;
    }

    /** Frees every page of the tree (dropping it). */
    void freeAll(MutableTree t) {
        if (t.root != 0) {
            freeSubtree(t.root, t.depth - 1);
        }
        t.root = 0;
        t.depth = 0;
        t.entries = 0;
        t.branchPages = 0;
        t.leafPages = 0;
        t.overflowPages = 0;
        t.changed = true;
    }

    private void freeSubtree(long page, int levelsBelow) {
        MemorySegment m = txn.map();
        long p = Page.offset(page);
        int n = Page.count(m, p);
        for (int i = 0; i < n; i++) {
            long c = Page.cell(m, p, i);
            if (levelsBelow > 0) {
                freeSubtree(Page.branchChild(m, c), levelsBelow - 1);
            } else if (Page.leafKind(m, c) == Page.KIND_OVERFLOW) {
                txn.freeRun(m.get(Page.U64, Page.leafValue(m, c)), Page.overflowPages(Page.leafValueLength(m, c)));
            }
        }
        txn.freeRun(page, 1);
    }

    private long descendForWrite(MutableTree t, MemorySegment key, int kLen) {
        long page = touch(t.root);
        t.root = page;
        path[0] = page;
        for (int level = 0; level < t.depth - 1; level++) {
            MemorySegment m = txn.map();
            long p = Page.offset(page);
            int i = Page.searchBranch(m, p, key, 0, kLen);
            pathIdx[level] = i;
            long child = Page.branchChild(m, Page.cell(m, p, i));
            long copy = touch(child);
            if (copy != child) {
                m = txn.map();
                m.set(Page.U64, Page.cell(m, p, i) + 2, copy);
            }
            page = copy;
            path[level + 1] = page;
        }
        return page;
    }

    /** The page itself if this transaction wrote it, else a private copy (the original becomes pending-free). */
    private long touch(long page) {
        MemorySegment m = txn.map();
        if (Page.txn(m, Page.offset(page)) == txn.id()) {
            return page;
        }
        long copy = txn.allocRun(1);
        m = txn.map();
        MemorySegment.copy(m, Page.offset(page), m, Page.offset(copy), Limits.PAGE_SIZE);
        m.set(Page.U64, Page.offset(copy) + Page.OFF_NUMBER, copy);
        m.set(Page.U64, Page.offset(copy) + Page.OFF_TXN, txn.id());
        txn.freeRun(page, 1);
        return copy;
    }

    private void initTreePage(long page, byte type) {
        MemorySegment m = txn.map();
        long p = Page.offset(page);
        m.asSlice(p, Page.HEADER).fill((byte) 0);
        m.set(ValueLayout.JAVA_BYTE, p + Page.OFF_TYPE, type);
        m.set(Page.U64, p + Page.OFF_NUMBER, page);
        m.set(Page.U64, p + Page.OFF_TXN, txn.id());
        m.set(Page.U32, p + Page.OFF_LOWER, Page.HEADER);
        m.set(Page.U32, p + Page.OFF_UPPER, Limits.PAGE_SIZE);
    }

    private void removeLeafCell(long lp, int pos) {
        MemorySegment m = txn.map();
        long c = Page.cell(m, lp, pos);
        if (Page.leafKind(m, c) == Page.KIND_OVERFLOW) {
            int n = Page.overflowPages(Page.leafValueLength(m, c));
            txn.freeRun(m.get(Page.U64, Page.leafValue(m, c)), n);
            tree.overflowPages -= n;
        }
        removeSlot(m, lp, pos);
    }

    private static void removeSlot(MemorySegment m, long p, int i) {
        int n = Page.count(m, p);
        long slots = p + Page.HEADER;
        MemorySegment.copy(m, slots + 2L * (i + 1), m, slots + 2L * i, 2L * (n - i - 1));
        m.set(Page.U16, p + Page.OFF_COUNT, (short) (n - 1));
        m.set(Page.U32, p + Page.OFF_LOWER, Page.lower(m, p) - 2);
    }

    private void removeEmpty(int level) {
        long page = path[level];
        MemorySegment m = txn.map();
        if (Page.type(m, Page.offset(page)) == Page.LEAF) {
            tree.leafPages--;
        } else {
            tree.branchPages--;
        }
        txn.freeRun(page, 1);
        if (level == 0) {
            tree.root = 0;
            tree.depth = 0;
            return;
        }
        long parent = Page.offset(path[level - 1]);
        removeSlot(m, parent, pathIdx[level - 1]);
        if (Page.count(m, parent) == 0) {
            removeEmpty(level - 1);
        }
    }

    private void collapseRoot(MutableTree t) {
        MemorySegment m = txn.map();
        while (t.depth > 1 && Page.count(m, Page.offset(t.root)) == 1) {
            long child = Page.branchChild(m, Page.cell(m, Page.offset(t.root), 0));
            txn.freeRun(t.root, 1);
            t.branchPages--;
            t.root = child;
            t.depth--;
        }
    }

    private static int cellSize(MemorySegment m, long cell, byte type) {
        return type == Page.LEAF ? Page.leafCellSize(m, cell) : Page.branchCellSize(m, cell);
    }

    /** Inserts a cell at index {@code idx} of the page at {@code level} of the path; returns where it landed. */
    private long insertCell(int level, long page, int idx, MemorySegment buf, int len) {
        MemorySegment m = txn.map();
        long p = Page.offset(page);
        if (Page.upper(m, p) - Page.lower(m, p) < len + 2) {
            byte type = Page.type(m, p);
            int n = Page.count(m, p);
            int used = 0;
            for (int i = 0; i < n; i++) {
                used += cellSize(m, Page.cell(m, p, i), type);
            }
            if (Limits.PAGE_SIZE - Page.HEADER - 2 * n - used < len + 2) {
                return split(level, page, idx, buf, len);
            }
            compact(m, p, type);
        }
        int n = Page.count(m, p);
        int upper = Page.upper(m, p) - len;
        if (Page.type(m, p) == Page.LEAF) {
            tree.lastLeafPage = page;
            tree.lastLeafIdx = idx;
        }
        MemorySegment.copy(buf, 0, m, p + upper, len);
        long slots = p + Page.HEADER;
        MemorySegment.copy(m, slots + 2L * idx, m, slots + 2L * (idx + 1), 2L * (n - idx));
        m.set(Page.U16, slots + 2L * idx, (short) upper);
        m.set(Page.U16, p + Page.OFF_COUNT, (short) (n + 1));
        m.set(Page.U32, p + Page.OFF_LOWER, Page.lower(m, p) + 2);
        m.set(Page.U32, p + Page.OFF_UPPER, upper);
        return p + upper;
    }

    /** Rewrites the cells of a page contiguously at its end, squeezing out holes left by removals. */
    private void compact(MemorySegment m, long p, byte type) {
        MemorySegment.copy(m, p, pageCopy, 0, Limits.PAGE_SIZE);
        int n = Page.count(m, p);
        int upper = Limits.PAGE_SIZE;
        for (int i = 0; i < n; i++) {
            long c = Page.cell(pageCopy, 0, i);
            int size = cellSize(pageCopy, c, type);
            upper -= size;
            MemorySegment.copy(pageCopy, c, m, p + upper, size);
            m.set(Page.U16, p + Page.HEADER + 2L * i, (short) upper);
        }
        m.set(Page.U32, p + Page.OFF_UPPER, upper);
    }

    private static long append(MemorySegment m, long p, MemorySegment src, long srcOff, int len) {
        int n = Page.count(m, p);
        int upper = Page.upper(m, p) - len;
        MemorySegment.copy(src, srcOff, m, p + upper, len);
        m.set(Page.U16, p + Page.HEADER + 2L * n, (short) upper);
        m.set(Page.U16, p + Page.OFF_COUNT, (short) (n + 1));
        m.set(Page.U32, p + Page.OFF_LOWER, Page.HEADER + 2 * (n + 1));
        m.set(Page.U32, p + Page.OFF_UPPER, upper);
        return p + upper;
    }

    private long split(int level, long page, int idx, MemorySegment buf, int len) {
        MemorySegment m = txn.map();
        long p = Page.offset(page);
        byte type = Page.type(m, p);
        int n = Page.count(m, p);
        long right;
        long rp;
        long placed = -1;
        if (idx == n && n >= 2) {
            // Appending at the right edge (etags, sequential ids): the old page stays as it is, full, and a new
            // one starts with just the new cell — nothing of the old page is copied or rewritten.
            right = txn.allocRun(1);
            initTreePage(right, type);
            m = txn.map();
            rp = Page.offset(right);
            placed = append(m, rp, buf, 0, len);
            if (type == Page.LEAF) {
                tree.lastLeafPage = right;
                tree.lastLeafIdx = 0;
            }
        } else {
            MemorySegment.copy(m, p, pageCopy, 0, Limits.PAGE_SIZE);
            int total = 0;
            for (int v = 0; v <= n; v++) {
                total += 2 + (v == idx ? len : cellSize(pageCopy, Page.cell(pageCopy, 0, v < idx ? v : v - 1), type));
            }
            int left = 0;
            int k = 1;
            int best = Integer.MAX_VALUE;
            int throughNew = -1; // bytes of the cells up to and including the new one
            for (int v = 0; v < n; v++) {
                left += 2 + (v == idx ? len : cellSize(pageCopy, Page.cell(pageCopy, 0, v < idx ? v : v - 1), type));
                if (v == idx) {
                    throughNew = left;
                }
                int worst = Math.max(left, total - left);
                if (worst < best) {
                    best = worst;
                    k = v + 1;
                }
            }
            // A sequential run inside the tree (ids docs/100000, docs/100001, … land before docs/2): the new key
            // follows the last one inserted here. Keep everything up to it on the left, full, and move only the
            // cells after it right, where the run goes on — a balanced split would leave every page of the run
            // about three-quarters full. Any split point is valid; this one only packs pages tighter.
            if (type == Page.LEAF && idx < n && page == tree.lastLeafPage && idx == tree.lastLeafIdx + 1
                    && throughNew > 0 && throughNew <= Limits.PAGE_SIZE - Page.HEADER) {
                k = idx + 1;
            }
            right = txn.allocRun(1);
            initTreePage(right, type);
            m = txn.map();
            rp = Page.offset(right);
            m.set(Page.U16, p + Page.OFF_COUNT, (short) 0);
            m.set(Page.U32, p + Page.OFF_LOWER, Page.HEADER);
            m.set(Page.U32, p + Page.OFF_UPPER, Limits.PAGE_SIZE);
            for (int v = 0; v <= n; v++) {
                long target = v < k ? p : rp;
                if (v == idx) {
                    placed = append(m, target, buf, 0, len);
                    if (type == Page.LEAF) {
                        tree.lastLeafPage = v < k ? page : right;
                        tree.lastLeafIdx = v < k ? idx : idx - k;
                    }
                } else {
                    long c = Page.cell(pageCopy, 0, v < idx ? v : v - 1);
                    append(m, target, pageCopy, c, cellSize(pageCopy, c, type));
                }
            }
        }
        if (type == Page.LEAF) {
            tree.leafPages++;
        } else {
            tree.branchPages++;
        }
        long first = Page.cell(m, rp, 0);
        int sepLen = Page.keyLength(m, first);
        long sepKey = type == Page.LEAF ? Page.leafKey(first) : Page.branchKey(first);
        sepBuf.set(Page.U16, 0, (short) sepLen);
        sepBuf.set(Page.U64, 2, right);
        MemorySegment.copy(m, sepKey, sepBuf, Page.BRANCH_CELL_HEADER, sepLen);
        int sepCell = Page.BRANCH_CELL_HEADER + sepLen;
        if (level == 0) {
            long root = txn.allocRun(1);
            initTreePage(root, Page.BRANCH);
            m = txn.map();
            long rootP = Page.offset(root);
            cellBuf.set(Page.U16, 0, (short) 0);
            cellBuf.set(Page.U64, 2, page);
            append(m, rootP, cellBuf, 0, Page.BRANCH_CELL_HEADER);
            append(m, rootP, sepBuf, 0, sepCell);
            tree.root = root;
            tree.depth++;
            tree.branchPages++;
        } else {
            insertCell(level - 1, path[level - 1], pathIdx[level - 1] + 1, sepBuf, sepCell);
        }
        return placed;
    }
}

package dev.blitdb.storage.engine;

import java.lang.foreign.MemorySegment;
import java.util.BitSet;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import java.util.zip.CRC32C;

/**
 * Walks every tree reachable from a meta page, checking each page (inside the high-water mark, reached once, the
 * right type, its own number, a valid checksum, keys in order) and marking it used. Opening a store uses the marks
 * to rebuild the free pool; {@link Store#verify()} additionally checks every overflow value's checksum.
 *
 * <p>The walk also recomputes the meta page's <em>commit digest</em>: every page stamped with the meta's own
 * transaction id (tree pages, and the heads of overflow runs referenced from that transaction's leaves, whose
 * values are then checksummed too) adds {@link Meta#digestTerm}. A commit whose one sync was cut short leaves
 * some of its pages old or torn: a page then fails its checksum, or is missing from the count or the digest, and
 * the commit is refused (see "The commit protocol" in DESIGN.md).
 */
final class TreeWalker {

    private final MemorySegment m;
    private final long hwm;
    private final BitSet used;
    private final boolean checkValues;
    private final CRC32C crc = new CRC32C();
    private final long txnId;
    private int written;
    private long digest;
    private long entries;
    private long branchPages;
    private long leafPages;
    private long overflowPages;
    private String treeName;
    private BooleanSupplier keepGoing;
    private long visited;
    /** Tree pages read by every walk in this JVM (tests count what an open reads). */
    static final LongAdder PAGES_VISITED = new LongAdder();

    private TreeWalker(MemorySegment m, long hwm, long txnId, BitSet used, boolean checkValues) {
        this.m = m;
        this.hwm = hwm;
        this.txnId = txnId;
        this.used = used;
        this.checkValues = checkValues;
    }

    /** Walks the catalog and every tree in it; returns the set of used pages. */
    static BitSet walk(MemorySegment m, Meta meta, boolean checkValues) {
        return walk(m, meta, checkValues, () -> true);
    }

    /**
     * As {@link #walk(MemorySegment, Meta, boolean)}, asking {@code keepGoing} every 1024 pages and stopping with
     * {@link StoreClosedException} when it says no (the background free-space scan of a store being closed).
     */
    static BitSet walk(MemorySegment m, Meta meta, boolean checkValues, BooleanSupplier keepGoing) {
        if (meta.hwm() < 2 || meta.hwm() * Limits.PAGE_SIZE > m.byteSize()) {
            throw new StoreCorruptedException("transaction " + meta.txnId() + " uses " + meta.hwm()
                    + " pages but the file holds only " + m.byteSize() / Limits.PAGE_SIZE
                    + " (truncated file?)");
        }
        BitSet used = new BitSet();
        used.set(0, 2);
        TreeWalker w = new TreeWalker(m, meta.hwm(), meta.txnId(), used, checkValues);
        w.keepGoing = keepGoing;
        w.tree("<catalog>", meta.catalog());
        BTree.forEachLeafCell(m, meta.catalog(), cell -> w.tree(
                new String(BTree.key(m, cell).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE),
                        java.nio.charset.StandardCharsets.UTF_8),
                TreeRecord.read(m, Page.leafValue(m, cell))));
        if (meta.pagesWritten() >= 0 && (w.written != meta.pagesWritten() || w.digest != meta.digest())) {
            throw new StoreCorruptedException("transaction " + meta.txnId() + " wrote " + meta.pagesWritten()
                    + " pages (digest 0x" + Long.toHexString(meta.digest()) + ") but " + w.written
                    + " of them are on disk (digest 0x" + Long.toHexString(w.digest) + "): its sync did not "
                    + "complete");
        }
        return used;
    }

    private void tree(String name, TreeRecord r) {
        treeName = name;
        entries = branchPages = leafPages = overflowPages = 0;
        if (r.root() != 0) {
            page(r.root(), r.depth() - 1);
        }
        if (entries != r.entries() || branchPages != r.branchPages() || leafPages != r.leafPages()
                || overflowPages != r.overflowPages()) {
            throw new StoreCorruptedException("tree '" + name + "' records " + r + " but holds entries=" + entries
                    + " branchPages=" + branchPages + " leafPages=" + leafPages + " overflowPages=" + overflowPages);
        }
    }

    private void mark(long page, int pages, String what) {
        if (page < 2 || page + pages > hwm) {
            throw new StoreCorruptedException(what + " " + page + " (+" + pages + ") of tree '" + treeName
                    + "' lies outside pages 2.." + (hwm - 1));
        }
        for (int i = 0; i < pages; i++) {
            if (used.get((int) page + i)) {
                throw new StoreCorruptedException("page " + (page + i) + " of tree '" + treeName
                        + "' is reachable twice");
            }
            used.set((int) page + i);
        }
    }

    private void page(long page, int levelsBelow) {
        PAGES_VISITED.increment();
        if ((++visited & 1023) == 0 && !keepGoing.getAsBoolean()) {
            throw new StoreClosedException("the store whose tree '" + treeName + "' was being walked");
        }
        mark(page, 1, "page");
        long p = Page.offset(page);
        byte expected = levelsBelow == 0 ? Page.LEAF : Page.BRANCH;
        if (Page.type(m, p) != expected || m.get(Page.U64, p + Page.OFF_NUMBER) != page) {
            throw new StoreCorruptedException("page " + page + " of tree '" + treeName + "' has type "
                    + Page.type(m, p) + " and number " + m.get(Page.U64, p + Page.OFF_NUMBER) + ", expected type "
                    + expected + " and number " + page);
        }
        crc.reset();
        crc.update(m.asSlice(p + 4, Limits.PAGE_SIZE - 4).asByteBuffer());
        int stored = m.get(Page.U32, p + Page.OFF_CRC);
        if (stored != (int) crc.getValue()) {
            throw new StoreCorruptedException("page " + page + " of tree '" + treeName + "' fails its checksum "
                    + "(stored 0x" + Integer.toHexString(stored) + ", computed 0x"
                    + Integer.toHexString((int) crc.getValue()) + ")");
        }
        boolean mine = Page.txn(m, p) == txnId;
        if (mine) {
            written++;
            digest += Meta.digestTerm(page, stored);
        }
        int n = Page.count(m, p);
        if (n == 0) {
            throw new StoreCorruptedException("page " + page + " of tree '" + treeName + "' is empty");
        }
        if (levelsBelow == 0) {
            leafPages++;
            entries += n;
            for (int i = 0; i < n; i++) {
                long c = Page.cell(m, p, i);
                if (i > 0) {
                    long prev = Page.cell(m, p, i - 1);
                    if (Page.compare(m, Page.leafKey(prev), Page.keyLength(m, prev), m, Page.leafKey(c),
                            Page.keyLength(m, c)) >= 0) {
                        throw new StoreCorruptedException("leaf " + page + " of tree '" + treeName
                                + "' has keys out of order at cell " + i);
                    }
                }
                if (Page.leafKind(m, c) == Page.KIND_OVERFLOW) {
                    overflow(m.get(Page.U64, Page.leafValue(m, c)), Page.leafValueLength(m, c), mine);
                }
            }
        } else {
            branchPages++;
            for (int i = 0; i < n; i++) {
                page(Page.branchChild(m, Page.cell(m, p, i)), levelsBelow - 1);
            }
        }
    }

    /** An overflow run; {@code fromNewLeaf}: referenced by a leaf of the walked transaction, so maybe its own. */
    private void overflow(long first, int length, boolean fromNewLeaf) {
        int pages = Page.overflowPages(length);
        mark(first, pages, "overflow run");
        overflowPages += pages;
        long p = Page.offset(first);
        boolean mine = fromNewLeaf && Page.txn(m, p) == txnId;
        if (mine) {
            written++;
            digest += Meta.digestTerm(first, m.get(Page.U32, p + Page.OFF_CRC));
        }
        if (!checkValues && !mine) {
            return;
        }
        if (Page.type(m, p) != Page.OVERFLOW || m.get(Page.U64, p + Page.OFF_NUMBER) != first
                || Page.lower(m, p) != length) {
            throw new StoreCorruptedException("overflow run " + first + " of tree '" + treeName
                    + "' has a bad header (type " + Page.type(m, p) + ", length " + Page.lower(m, p)
                    + ", expected length " + length + ")");
        }
        crc.reset();
        crc.update(m.asSlice(p + Page.HEADER, length).asByteBuffer());
        if (m.get(Page.U32, p + Page.OFF_CRC) != (int) crc.getValue()) {
            throw new StoreCorruptedException("value in overflow run " + first + " of tree '" + treeName
                    + "' fails its checksum");
        }
    }
}

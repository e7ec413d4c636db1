package dev.blitdb.storage.engine;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32C;

/**
 * The one write transaction of a store. Sees its own changes; nobody else sees them until {@link #commit()}
 * returns. Closing without committing aborts: every page it took goes back to the free pool.
 *
 * <p>Every change checks its limits and reserves the file space it may need <em>before</em> touching a page, so a
 * {@link TooLargeException} or {@link StoreFullException} leaves the transaction exactly as it was and other
 * changes in it can still commit.
 */
public final class WriteTxn extends Txn {

    private final long id;
    private final Snapshot base;
    private final MutableTree catalogTree;
    private final Map<String, MutableTree> trees = new HashMap<>();
    private final Set<String> droppedTrees = new HashSet<>();
    private final TreeEditor editor = new TreeEditor(this);
    private final long startHwm;
    Mapping mapping;
    private MemorySegment map;
    long hwm;
    /** (first page, pages) pairs taken from the free pool, given back on abort. */
    private final LongList fromPool = new LongList();
    /** Committed pages this transaction replaced or deleted: free once older snapshots are gone. */
    final LongList pendingFree = new LongList();
    /** First pages of every run allocated, for checksums at commit. */
    private final LongList allocated = new LongList();
    /** First pages of runs this transaction allocated and freed again (a head can be allocated twice). */
    private final LongList freedOwn = new LongList();
    private long commitValue;
    private boolean open = true;

    WriteTxn(Store store, Snapshot base, Mapping mapping) {
        super(store);
        this.base = base;
        this.id = base.meta.txnId() + 1;
        this.mapping = mapping;
        this.map = mapping.segment;
        this.catalogTree = new MutableTree(base.meta.catalog());
        this.startHwm = base.meta.hwm();
        this.hwm = startHwm;
        this.commitValue = base.meta.commitValue();
    }

    /**
     * Sets the 8-byte value this commit carries (stored in the meta page, atomically with the commit, and
     * readable after reopen with {@link Txn#commitValue()}): e.g. the replication log index this batch applies.
     * A commit that does not set it carries the previous commit's value.
     */
    public void setCommitValue(long value) {
        checkOpen();
        commitValue = value;
    }

    @Override
    public long commitValue() {
        return commitValue;
    }

    @Override
    MemorySegment map() {
        return map;
    }

    void remapped(Mapping m) {
        mapping = m;
        map = m.segment;
    }

    @Override
    TreeRoot catalog() {
        return catalogTree;
    }

    @Override
    TreeRoot tree(String name) {
        if (droppedTrees.contains(name)) {
            return null;
        }
        MutableTree t = trees.get(name);
        if (t != null) {
            return t;
        }
        TreeRecord r = readCatalog(name);
        if (r == null) {
            return null;
        }
        t = new MutableTree(r);
        trees.put(name, t);
        return t;
    }

    private MutableTree writable(String name) {
        if (droppedTrees.remove(name)) {
            MutableTree again = trees.get(name);
            again.changed = true;
            return again;
        }
        MutableTree t = (MutableTree) tree(name);
        if (t == null) {
            if (name.isEmpty() || name.getBytes(StandardCharsets.UTF_8).length > 255) {
                throw new IllegalArgumentException("tree name must be 1..255 UTF-8 bytes: '" + name + "'");
            }
            t = new MutableTree(TreeRecord.EMPTY);
            t.changed = true;
            trees.put(name, t);
        }
        return t;
    }

    @Override
    void checkOpen() {
        if (!open) {
            throw new StoreClosedException("write transaction " + id);
        }
        store.checkUsable();
    }

    @Override
    public long id() {
        return id;
    }

    /** Stores {@code value} under {@code key} in {@code tree} (created if missing), replacing any old value. */
    public void put(String tree, MemorySegment key, MemorySegment value) {
        MemorySegment target = reserve(tree, key, value.byteSize());
        MemorySegment.copy(value, 0, target, 0, value.byteSize());
    }

    /** {@link #put(String, MemorySegment, MemorySegment)} for byte arrays. */
    public void put(String tree, byte[] key, byte[] value) {
        put(tree, MemorySegment.ofArray(key), MemorySegment.ofArray(value));
    }

    /**
     * Makes room for a value of {@code length} bytes under {@code key} and returns it as a writable slice of the
     * mapping for the caller to fill (no intermediate copy). The slice is valid until the next change in this
     * transaction; its bytes are undefined until written.
     *
     * @throws TooLargeException  if the key is empty or over {@link Limits#MAX_KEY}, or the value over
     *                            {@link Limits#MAX_VALUE}; nothing changed
     * @throws StoreFullException if the file cannot grow; nothing changed
     */
    public MemorySegment reserve(String tree, MemorySegment key, long length) {
        checkOpen();
        int kLen = checkKey(key);
        if (length < 0 || length > Limits.MAX_VALUE) {
            throw new TooLargeException("value for tree '" + tree + "'", length, Limits.MAX_VALUE);
        }
        MutableTree t = writable(tree);
        reserveFor(t, Page.inline(kLen, length) ? 0 : Page.overflowPages(length));
        long at = editor.put(t, key, kLen, length);
        return map.asSlice(at, length);
    }

    /** Removes {@code key} from {@code tree}; returns whether it was there. */
    public boolean delete(String tree, MemorySegment key) {
        checkOpen();
        int kLen = checkKey(key);
        TreeRoot t = tree(tree);
        if (t == null) {
            return false;
        }
        reserveFor((MutableTree) t, 0);
        return editor.delete((MutableTree) t, key, kLen);
    }

    /** {@link #delete(String, MemorySegment)} for a byte-array key. */
    public boolean delete(String tree, byte[] key) {
        return delete(tree, MemorySegment.ofArray(key));
    }

    /** Deletes a whole tree and frees its pages; returns whether it existed. */
    public boolean dropTree(String tree) {
        checkOpen();
        TreeRoot t = tree(tree);
        if (t == null) {
            return false;
        }
        editor.freeAll((MutableTree) t);
        droppedTrees.add(tree);
        return true;
    }

    private static int checkKey(MemorySegment key) {
        long kLen = key.byteSize();
        if (kLen == 0 || kLen > Limits.MAX_KEY) {
            throw new TooLargeException("key (must be 1.." + Limits.MAX_KEY + " bytes)", kLen, Limits.MAX_KEY);
        }
        return (int) kLen;
    }

    /**
     * Makes sure the file has room for {@code changes} key changes plus values totalling {@code valueBytes},
     * growing it now if needed, so that a group of puts that must all happen cannot run out of space half way.
     *
     * @throws StoreFullException if the file cannot grow; nothing changed
     */
    public void reserveSpace(int changes, long valueBytes) {
        checkOpen();
        long perChange = 2L * (Math.max(catalogTree.depth, 8) + 2);
        long need = changes * perChange + Page.overflowPages(valueBytes) + changes + 2L * (catalogTree.depth + 2) + 4;
        store.ensureCapacity(this, hwm + need);
    }

    /** Ensures the file has room for the worst case of one change: value pages plus two pages per tree level. */
    private void reserveFor(MutableTree t, int valuePages) {
        long need = valuePages + 2L * (t.depth + 2) + 2L * (catalogTree.depth + 2) + 4;
        store.ensureCapacity(this, hwm + need);
    }

    /** Takes {@code pages} contiguous pages from the free pool, or from the high-water mark (growing the file). */
    long allocRun(int pages) {
        long first = store.free.take(pages);
        if (first < 0 && store.reclaim()) {
            first = store.free.take(pages);
        }
        if (first >= 0) {
            fromPool.add(first);
            fromPool.add(pages);
        } else {
            store.ensureCapacity(this, hwm + pages);
            first = hwm;
            hwm += pages;
        }
        allocated.add(first);
        // Stamp the owner at once: a fresh page must never look like one an earlier commit wrote.
        map.set(Page.U64, Page.offset(first) + Page.OFF_TXN, id);
        return first;
    }

    /** Frees a run: at once if this transaction allocated it, else when older snapshots are gone. */
    void freeRun(long first, int pages) {
        if (Page.txn(map, Page.offset(first)) == id) {
            store.free.releaseRun(first, pages);
            freedOwn.add(first);
        } else {
            for (int i = 0; i < pages; i++) {
                pendingFree.add(first + i);
            }
        }
    }

    /**
     * Makes every change durable and visible, then ends the transaction: {@link #prepareCommit()} followed by
     * {@link Commit#sync()} (one sync; see "The commit protocol" in DESIGN.md). Another write transaction may
     * start while this one syncs.
     *
     * @return the id of the committed transaction (unchanged from the previous one if nothing changed)
     */
    public long commit() {
        return prepareCommit().sync();
    }

    /**
     * Ends the transaction and prepares its commit without syncing it: catalog entries, page checksums and the
     * commit digest. Waits first until the previous commit is durable (log records are appended in order). The next write transaction may begin at once and builds on this
     * state; readers see it only after {@link Commit#sync()}, which the caller must call (once) to make it durable.
     */
    public Commit prepareCommit() {
        checkOpen();
        try {
            for (Map.Entry<String, MutableTree> e : trees.entrySet()) {
                MutableTree t = e.getValue();
                if (!t.changed) {
                    continue;
                }
                MemorySegment nameKey = MemorySegment.ofArray(e.getKey().getBytes(StandardCharsets.UTF_8));
                if (droppedTrees.contains(e.getKey())) {
                    editor.delete(catalogTree, nameKey, (int) nameKey.byteSize());
                } else {
                    long at = editor.put(catalogTree, nameKey, (int) nameKey.byteSize(), TreeRecord.BYTES);
                    t.toRecord().write(map, at);
                }
            }
        } catch (RuntimeException e) {
            abort();
            throw e;
        }
        if (allocated.size() == 0 && pendingFree.size() == 0 && commitValue == base.meta.commitValue()) {
            end(false);
            return store.unchanged(base.meta.txnId());
        }
        Commit c;
        try {
            c = store.prepare(this, writeChecksums());
        } catch (RuntimeException e) {
            abort();
            throw e;
        }
        end(true);
        return c;
    }

    /** What {@link #writeChecksums()} found: the live runs (first page, pages; for the log record) and the digest. */
    record Written(long[] runs, int heads, long digest) {
    }

    /**
     * Writes the CRC32C of every live page this transaction wrote into its header and sums them into the commit
     * digest. Live run heads are the heads allocated more often than freed (allocations and frees of one head
     * alternate), computed exactly: the open-time walk must find the same set.
     */
    private Written writeChecksums() {
        long[] heads = live();
        long[] runs = new long[2 * heads.length];
        CRC32C crc = new CRC32C();
        long digest = 0;
        for (int i = 0; i < heads.length; i++) {
            long head = heads[i];
            long p = Page.offset(head);
            crc.reset();
            int pages = 1;
            if (Page.type(map, p) == Page.OVERFLOW) {
                crc.update(map.asSlice(p + Page.HEADER, Page.lower(map, p)).asByteBuffer());
                pages = Page.overflowPages(Page.lower(map, p));
            } else {
                crc.update(map.asSlice(p + 4, Limits.PAGE_SIZE - 4).asByteBuffer());
            }
            int value = (int) crc.getValue();
            map.set(Page.U32, p + Page.OFF_CRC, value);
            digest += Meta.digestTerm(head, value);
            runs[2 * i] = head;
            runs[2 * i + 1] = pages;
        }
        return new Written(runs, heads.length, digest);
    }

    private long[] live() {
        long[] a = allocated.toArray();
        long[] f = freedOwn.toArray();
        java.util.Arrays.sort(a);
        java.util.Arrays.sort(f);
        long[] out = new long[a.length];
        int n = 0;
        int j = 0;
        for (int i = 0; i < a.length; ) {
            long h = a[i];
            int allocs = 0;
            while (i < a.length && a[i] == h) {
                allocs++;
                i++;
            }
            while (j < f.length && f[j] < h) {
                j++;
            }
            int frees = 0;
            while (j < f.length && f[j] == h) {
                frees++;
                j++;
            }
            if (allocs > frees) {
                out[n++] = h;
            }
        }
        return java.util.Arrays.copyOf(out, n);
    }

    Meta newMeta(int pagesWritten, long digest) {
        return new Meta(id, hwm, catalogTree.toRecord(), System.currentTimeMillis(), pagesWritten, digest,
                commitValue);
    }

    /** Throws every change away; pages taken go back to the pool. Idempotent. */
    public void abort() {
        if (!open) {
            return;
        }
        for (int i = 0; i < fromPool.size(); i += 2) {
            store.free.releaseRun(fromPool.get(i), (int) fromPool.get(i + 1));
        }
        store.free.truncate(startHwm);
        store.free.resetHint();
        end(false);
    }

    private void end(boolean committed) {
        open = false;
        store.endWrite(this, committed);
    }

    /** Aborts unless committed. */
    @Override
    public void close() {
        abort();
    }
}

package dev.blitdb.storage.engine;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One committed state: the meta it was committed with and the mapping that covers it. Readers pin it with a
 * reference count; the store holds one reference while it is the newest. When the count reaches zero the snapshot
 * is dead for good (it can never be acquired again), its mapping reference is dropped, and the writer may recycle
 * {@link #pendingFree} — the pages the next commit replaced — once every older snapshot is dead too.
 */
final class Snapshot {

    final Meta meta;
    final Mapping mapping;
    /** Pages reachable from this snapshot but not from the next one; writer-owned. */
    final LongList pendingFree = new LongList();
    private final AtomicInteger refs = new AtomicInteger(1);
    /** When this state was committed ({@link System#nanoTime()}); ages the oldest reader for metrics. */
    final long committedNanos = System.nanoTime();
    /**
     * The catalog's records as read in this state, shared by every reader of it (the state never changes, so the
     * first reader's lookup serves all): a read transaction opens without allocating a map of its own.
     */
    private final ConcurrentHashMap<String, TreeRecord> trees = new ConcurrentHashMap<>();
    /** Stands for "no such tree" in {@link #trees} (which holds no nulls). */
    private static final TreeRecord MISSING = new TreeRecord(-1, 0, 0, 0, 0, 0);

    Snapshot(Meta meta, Mapping mapping) {
        this.meta = meta;
        this.mapping = mapping;
        mapping.retain();
    }

    /** The named tree's record in this state, or null; {@code reader} looks it up in the catalog the first time. */
    TreeRecord tree(String name, ReadTxn reader) {
        TreeRecord r = trees.get(name);
        if (r == null) {
            TreeRecord found = reader.readCatalog(name);
            r = found == null ? MISSING : found;
            trees.putIfAbsent(name, r);
        }
        return r == MISSING ? null : r;
    }

    /** Pins this snapshot unless it is already dead; lock-free, never blocks. */
    boolean tryAcquire() {
        for (int r = refs.get(); r > 0; r = refs.get()) {
            if (refs.compareAndSet(r, r + 1)) {
                return true;
            }
        }
        return false;
    }

    void release() {
        if (refs.decrementAndGet() == 0) {
            mapping.release();
        }
    }

    boolean dead() {
        return refs.get() == 0;
    }

    /** Readers holding this snapshot: every reference but the store's own while it is the newest. */
    int readers(boolean newest) {
        return Math.max(0, refs.get() - (newest ? 1 : 0));
    }
}

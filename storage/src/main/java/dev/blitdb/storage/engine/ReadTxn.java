package dev.blitdb.storage.engine;

import java.lang.foreign.MemorySegment;

/**
 * A stable snapshot of the store: the state of one committed transaction. Opening one is lock-free and never
 * waits for the writer; the writer never waits for it. Close it promptly: while it is open, pages that later
 * commits free cannot be reused (see the caveats in DESIGN.md). One thread at a time.
 *
 * <p>Every {@code MemorySegment} it returns stays valid until {@link #close()}.
 *
 * <p>A hot path that opens one read after another on one thread may keep one instance and {@link #reopen} it
 * instead of allocating one per {@link Store#beginRead()}: each opening pins the newest snapshot and each close
 * releases it, exactly as for a new instance. Its owner must not hand it out: a reference kept past a close would
 * read the next opening's snapshot instead of failing.
 */
public final class ReadTxn extends Txn {

    private Snapshot snapshot;
    private MemorySegment map;
    private boolean open;
    private String lastName;
    private TreeRecord lastTree;

    ReadTxn(Store store, Snapshot snapshot) {
        super(store);
        pin(snapshot);
    }

    private ReadTxn() {
        super(null);
    }

    /** A closed transaction, for {@link #reopen}; reads on it fail until it is opened. */
    public static ReadTxn reusable() {
        return new ReadTxn();
    }

    /**
     * Opens this closed transaction on {@code store}'s newest durable commit, as {@link Store#beginRead()} opens
     * a new one (lock-free, never waits for the writer), and returns it. No allocation.
     *
     * @throws IllegalStateException if it is open (its snapshot would stay pinned for good)
     * @throws StoreClosedException if the store is closed
     */
    public ReadTxn reopen(Store store) {
        if (open) {
            throw new IllegalStateException("read transaction on snapshot " + snapshot.meta.txnId()
                    + " is still open: close it before reopening");
        }
        Snapshot s = store.pinNewest();
        this.store = store;
        pin(s);
        return this;
    }

    private void pin(Snapshot s) {
        snapshot = s;
        map = s.mapping.segment;
        lastName = null; // the tree cache belongs to the previous snapshot
        lastTree = null;
        open = true;
    }

    @Override
    MemorySegment map() {
        return map;
    }

    @Override
    TreeRoot catalog() {
        return snapshot.meta.catalog();
    }

    @Override
    TreeRoot tree(String name) {
        if (name == lastName) {
            return lastTree; // the common case: many reads of one tree by the same (interned) name
        }
        TreeRecord r = snapshot.tree(name, this);
        lastName = name;
        lastTree = r;
        return r;
    }

    @Override
    void checkOpen() {
        if (!open) {
            throw new StoreClosedException(snapshot == null ? "read transaction never opened"
                    : "read transaction on snapshot " + snapshot.meta.txnId());
        }
    }

    @Override
    public long id() {
        return snapshot.meta.txnId();
    }

    Snapshot snapshot() {
        return snapshot;
    }

    /** Time of the commit this snapshot shows, epoch milliseconds. */
    public long commitMillis() {
        return snapshot.meta.commitMillis();
    }

    @Override
    public long commitValue() {
        return snapshot.meta.commitValue();
    }

    /** Releases the snapshot. Idempotent. */
    @Override
    public void close() {
        if (open) {
            open = false;
            snapshot.release();
        }
    }
}

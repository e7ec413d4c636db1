package dev.blitdb.storage.engine;

import java.lang.foreign.MemorySegment;

/**
 * A stable snapshot of the store: the state of one committed transaction. Opening one is lock-free and never
 * waits for the writer; the writer never waits for it. Close it promptly: while it is open, pages that later
 * commits free cannot be reused (see the caveats in DESIGN.md). One thread at a time.
 *
 * <p>Every {@code MemorySegment} it returns stays valid until {@link #close()}.
 */
public final class ReadTxn extends Txn {

    private final Snapshot snapshot;
    private final MemorySegment map;
    private boolean open = true;
    private String lastName;
    private TreeRecord lastTree;

    ReadTxn(Store store, Snapshot snapshot) {
        super(store);
        this.snapshot = snapshot;
        this.map = snapshot.mapping.segment;
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
            throw new StoreClosedException("read transaction on snapshot " + snapshot.meta.txnId());
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

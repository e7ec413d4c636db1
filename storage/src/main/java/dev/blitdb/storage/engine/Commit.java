package dev.blitdb.storage.engine;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A commit prepared by {@link WriteTxn#prepareCommit()} (its pages are in the mapping, checksummed) and waiting
 * for its one sync: the append of its record to the write-ahead log and one {@code fdatasync} of the log. The next
 * write transaction may already run; {@link #sync()} makes this one durable and then visible to readers.
 * Thread-safe: the first caller of {@link #sync()} performs the sync, any other waits for it.
 */
public final class Commit {

    private final Store store;
    private final long txnId;
    final Snapshot previous;
    final Snapshot next;
    /** The live runs the transaction wrote (first page, pages): what its log record holds. */
    final long[] runs;
    private final AtomicBoolean started = new AtomicBoolean();
    final CompletableFuture<Void> durable = new CompletableFuture<>();

    Commit(Store store, long txnId, Snapshot previous, Snapshot next, long[] runs) {
        this.store = store;
        this.txnId = txnId;
        this.previous = previous;
        this.next = next;
        this.runs = runs;
    }

    /** A commit that is already durable (nothing changed). */
    static Commit done(long txnId) {
        Commit c = new Commit(null, txnId, null, null, null);
        c.started.set(true);
        c.durable.complete(null);
        return c;
    }

    /** Id of the committed transaction. */
    public long txnId() {
        return txnId;
    }

    /** Whether {@link #sync()} has completed successfully. */
    public boolean isDurable() {
        return durable.isDone() && !durable.isCompletedExceptionally();
    }

    /**
     * Makes the commit durable (its log record appended, then one {@code fdatasync} of the log; with
     * {@link Durability#NO_SYNC} appended only) and publishes it to readers, or waits while another thread does.
     *
     * @return the transaction id
     * @throws StoreFailedException if the sync failed (the store then refuses further use)
     */
    public long sync() {
        if (started.compareAndSet(false, true)) {
            store.syncAndPublish(this);
        }
        try {
            durable.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw e;
        }
        return txnId;
    }
}

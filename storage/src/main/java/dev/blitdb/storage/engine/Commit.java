package dev.blitdb.storage.engine;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A commit written into the mapping by {@link WriteTxn#prepareCommit()} and waiting for its one sync. The next
 * write transaction may already run; {@link #sync()} makes this one durable and then visible to readers.
 * Thread-safe: the first caller of {@link #sync()} performs the sync, any other waits for it.
 */
public final class Commit {

    private final Store store;
    private final long txnId;
    final Snapshot previous;
    final Snapshot next;
    final long from;
    final long length;
    private final AtomicBoolean started = new AtomicBoolean();
    final CompletableFuture<Void> durable = new CompletableFuture<>();

    Commit(Store store, long txnId, Snapshot previous, Snapshot next, long from, long length) {
        this.store = store;
        this.txnId = txnId;
        this.previous = previous;
        this.next = next;
        this.from = from;
        this.length = length;
    }

    /** A commit that is already durable (nothing changed, or {@link Durability#NO_SYNC}). */
    static Commit done(long txnId) {
        Commit c = new Commit(null, txnId, null, null, 0, 0);
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
     * Makes the commit durable (one {@code msync} of its pages and meta page) and publishes it to readers, or
     * waits while another thread does.
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

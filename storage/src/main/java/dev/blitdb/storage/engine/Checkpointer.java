package dev.blitdb.storage.engine;

import java.io.IOException;

/**
 * Checkpoints of one store, on their own thread ({@code blitdb-checkpoint-<folder>}), off the writer's path: when
 * the log has grown by {@link StoreOptions#checkpointBytes()} since the last one, or
 * {@link StoreOptions#checkpointInterval()} after it if anything was committed. A {@link Durability#NO_SYNC} store's
 * log is also synced here about every 100 ms (unless the interval is zero: then only checkpoints and a dry free
 * pool sync it), so the pages its commits free become reusable.
 *
 * <p>A checkpoint of the newest durable state C (see "Checkpoints" in DESIGN.md): under the log lock, sync what
 * the log holds, pin C and start the next log generation in the other file (records after C go there); then,
 * with commits going on, sync the data file's pages below C's high-water mark, write the meta page of C (naming
 * that generation) into the slot that does not hold the newest checkpoint, sync it, and unpin C. The previous
 * log file is dead from then on and is overwritten by the next checkpoint. Checkpoints never run two at a time.
 */
final class Checkpointer {

    private static final System.Logger LOG = System.getLogger(Checkpointer.class.getName());
    private static final long BACKGROUND_SYNC_MS = 100;

    private final Store store;
    private final Thread thread;
    private volatile boolean stopping;
    /** Wake-ups of the thread; not {@code this}, which a running checkpoint holds (a commit must never wait). */
    private final Object signal = new Object();
    private boolean requested;
    private long lastTxn;
    private long lastNanos = System.nanoTime();

    Checkpointer(Store store) {
        this.store = store;
        this.lastTxn = store.current().meta.txnId();
        String name = store.dir() == null ? "store" : store.dir().getFileName().toString();
        this.thread = Thread.ofPlatform().name("blitdb-checkpoint-" + name).daemon(true).unstarted(this::run);
        thread.start();
    }

    /** Called after every commit's record is appended: wakes the thread when the log is due a checkpoint. */
    void commitAppended() {
        if (store.logBytes() >= store.options().checkpointBytes()) {
            synchronized (signal) {
                requested = true;
                signal.notifyAll();
            }
        }
    }

    void stop() {
        stopping = true;
        synchronized (signal) {
            signal.notifyAll();
        }
        boolean interrupted = false;
        for (; ; ) {
            try {
                thread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        StoreOptions o = store.options();
        long interval = o.checkpointInterval().toNanos();
        while (!stopping) {
            boolean asked;
            synchronized (signal) {
                if (!requested && !stopping) {
                    try {
                        signal.wait(BACKGROUND_SYNC_MS);
                    } catch (InterruptedException e) {
                        // never interrupted on purpose
                    }
                }
                asked = requested;
                requested = false;
            }
            if (stopping || !store.usable()) {
                return;
            }
            try {
                if (o.durability() == Durability.NO_SYNC && interval > 0) {
                    syncLogInBackground();
                }
                boolean due = asked || store.logBytes() >= o.checkpointBytes()
                        || (interval > 0 && System.nanoTime() - lastNanos >= interval
                        && store.current().meta.txnId() != lastTxn);
                if (due) {
                    checkpoint();
                }
            } catch (Throwable t) {
                LOG.log(System.Logger.Level.ERROR, "checkpoint of " + store.file() + " failed; the store refuses "
                        + "further writes (its log stays for the next open)", t);
                store.fail(t);
                return;
            }
        }
    }

    /** Syncs the log outside the log lock (appends go on meanwhile), then records what became durable. */
    private void syncLogInBackground() throws IOException {
        WriteAheadLog.Unsynced u;
        store.logLock.lock();
        try {
            u = store.usable() && store.wal != null ? store.wal.unsynced() : null;
        } finally {
            store.logLock.unlock();
        }
        if (u == null) {
            return;
        }
        store.options().diskSync().syncLog(u.path(), u.channel());
        store.logLock.lock();
        try {
            store.wal.synced(u);
            store.durableTxn = Math.max(store.durableTxn, u.txn());
        } finally {
            store.logLock.unlock();
        }
    }

    /**
     * Writes a checkpoint of the newest durable state now, on the calling thread; returns false when there was
     * nothing to do (no commit since the last one) or the store is closed or failed.
     */
    synchronized boolean checkpoint() throws IOException {
        Snapshot c;
        long gen;
        store.logLock.lock();
        try {
            if (!store.usable()) {
                return false;
            }
            WriteAheadLog wal = store.wal;
            if (wal == null) {
                return false; // nothing committed since the open, whose state is a checkpoint already
            }
            wal.sync(); // NO_SYNC records: durable before the file they are in stops being the current one
            store.durableTxn = Math.max(store.durableTxn, wal.syncedTxn());
            c = store.current();
            if (c.meta.txnId() == lastTxn && wal.bytesSinceStart() == 0) {
                return false;
            }
            if (!c.tryAcquire()) {
                return false;
            }
            gen = store.metaGeneration + 1;
            try {
                wal.start(gen, c.meta.txnId() + 1);
            } catch (IOException | RuntimeException e) {
                c.release();
                throw e;
            }
        } finally {
            store.logLock.unlock();
        }
        try {
            Recovery.syncData(store, c);
            Recovery.writeMeta(store, c.mapping.segment, c.meta.asCheckpoint(store.fileId, gen, true));
            lastTxn = c.meta.txnId();
            lastNanos = System.nanoTime();
            return true;
        } finally {
            c.release();
        }
    }
}

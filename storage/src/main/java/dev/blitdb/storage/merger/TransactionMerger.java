package dev.blitdb.storage.merger;

import dev.blitdb.storage.engine.Commit;
import dev.blitdb.storage.engine.StorageException;
import dev.blitdb.storage.engine.Store;
import dev.blitdb.storage.engine.StoreClosedException;
import dev.blitdb.storage.engine.WriteTxn;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongConsumer;

/**
 * Turns many concurrent writes into few durable commits (see the package documentation). Two platform threads:
 * the writer ({@code blitdb-merger-<folder>}) owns the store's write transaction and applies batches; the syncer
 * ({@code blitdb-sync-<folder>}) makes each prepared batch durable. While batch N syncs, the writer already applies
 * batch N+1 (Voron's overlap); N+1's commit point is written only once N is durable.
 *
 * <p>Futures are completed on the syncer thread right after their commit is durable: dependents attached with the
 * non-async {@code CompletableFuture} methods run there too, so keep them short or use the {@code …Async} forms.
 */
public final class TransactionMerger implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(TransactionMerger.class.getName());

    private final Store store;
    private final MergerOptions options;
    private final BlockingQueue<Pending<?>> queue;
    private final Thread writer;
    private final Thread syncer;
    /** Prepared batches for the syncer; at most one waits (the writer's next prepare waits for the sync). */
    private final BlockingQueue<Prepared> toSync = new LinkedBlockingQueue<>();
    /** Submitters between their check of {@link #accepting} and the end of their enqueue (see submit). */
    private final AtomicInteger entering = new AtomicInteger();
    /** The batch being synced, or null; the writer keeps adding to the next batch while it is set. */
    private final AtomicReference<Commit> syncing = new AtomicReference<>();
    private final List<LongConsumer> commitListeners = new CopyOnWriteArrayList<>();
    private final LongAdder commits = new LongAdder();
    private final LongAdder operations = new LongAdder();
    private final LongAdder rejected = new LongAdder();
    private final LongAdder replays = new LongAdder();
    private volatile boolean accepting = true;
    private volatile MergerObserver observer = MergerObserver.NONE;

    /** Wakes the writer from its poll when a sync ends (never applied). */
    private static final Pending<Void> WAKE = new Pending<>(txn -> null, 0);

    private record Prepared(Commit commit, List<Pending<?>> batch) {
    }

    private static final class Pending<R> {
        final WriteOperation<R> op;
        final long bytes;
        final CompletableFuture<R> future = new CompletableFuture<>();
        R result;

        Pending(WriteOperation<R> op, long bytes) {
            this.op = op;
            this.bytes = bytes;
        }

        void apply(WriteTxn txn) {
            result = op.apply(txn);
        }

        void complete() {
            future.complete(result);
        }
    }

    public TransactionMerger(Store store) {
        this(store, MergerOptions.defaults());
    }

    public TransactionMerger(Store store, MergerOptions options) {
        this.store = store;
        this.options = options;
        this.queue = new LinkedBlockingQueue<>(options.queueCapacity());
        String name = store.file().getParent() == null ? "store" : store.file().getParent().getFileName().toString();
        this.writer = Thread.ofPlatform().name("blitdb-merger-" + name).daemon(true).unstarted(this::run);
        this.syncer = Thread.ofPlatform().name("blitdb-sync-" + name).daemon(true).unstarted(this::syncLoop);
        syncer.start();
        writer.start();
    }

    /** Queues an operation; the future completes once the transaction holding it is durable. */
    public <R> CompletableFuture<R> submit(WriteOperation<R> op) {
        return submit(op, 0);
    }

    /**
     * Queues an operation declaring about how many bytes it writes (for the batch's byte bound). Blocks while the
     * queue is full.
     */
    public <R> CompletableFuture<R> submit(WriteOperation<R> op, long bytes) {
        Pending<R> p = new Pending<>(op, bytes);
        // Announce first, then check: the writer exits only after seeing accepting == false AND entering == 0
        // AND an empty queue, so a submission that passed the check is always in the queue before it can exit.
        entering.incrementAndGet();
        try {
            if (!accepting) {
                p.future.completeExceptionally(new StoreClosedException("transaction merger of " + store.file()));
                return p.future;
            }
            queue.put(p);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.future.completeExceptionally(e);
        } finally {
            entering.decrementAndGet();
        }
        return p.future;
    }

    /**
     * Called with the transaction id after every commit is durable, on the syncer thread (keep it short: wake
     * someone).
     */
    public void addCommitListener(LongConsumer listener) {
        commitListeners.add(listener);
    }

    /** Sets the one observer told about every commit (metrics); {@link MergerObserver#NONE} to stop. */
    public void observe(MergerObserver observer) {
        this.observer = observer;
    }

    /**
     * Operations queued and not yet taken by the writer (the batches being applied or synced not included). The
     * syncer's wake-up markers share the queue and are not operations, so they are not counted.
     */
    public int queueDepth() {
        int depth = 0;
        for (Pending<?> p : queue) {
            if (p != WAKE) {
                depth++;
            }
        }
        return depth;
    }

    public MergerStats stats() {
        return new MergerStats(commits.sum(), operations.sum(), rejected.sum(), replays.sum());
    }

    private void run() {
        try {
            while (accepting || entering.get() != 0 || !queue.isEmpty()) {
                Pending<?> first;
                try {
                    first = queue.poll(50, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    // Never interrupted on purpose: an interrupt would close the store's FileChannel mid-growth.
                    continue;
                }
                if (first != null && first != WAKE) {
                    runBatch(first);
                }
            }
        } finally {
            toSync.add(new Prepared(null, List.of())); // tells the syncer to finish after the last batch
        }
    }

    private void syncLoop() {
        for (; ; ) {
            Prepared p;
            try {
                p = toSync.take();
            } catch (InterruptedException e) {
                continue; // never interrupted on purpose
            }
            if (p.commit() == null) {
                return;
            }
            finish(p);
        }
    }

    /** Syncs one prepared batch, then answers each caller with its own result (or the sync's failure). */
    private void finish(Prepared p) {
        long id;
        long syncStarted = System.nanoTime();
        try {
            id = p.commit().sync();
        } catch (Throwable t) {
            syncing.compareAndSet(p.commit(), null);
            queue.offer(WAKE);
            for (Pending<?> done : p.batch()) {
                done.future.completeExceptionally(t);
            }
            return;
        }
        syncing.compareAndSet(p.commit(), null);
        queue.offer(WAKE); // a full queue needs no wake-up: the writer has work
        commits.increment();
        operations.add(p.batch().size());
        observer.committed(p.batch().size(), System.nanoTime() - syncStarted);
        for (Pending<?> done : p.batch()) {
            done.complete();
        }
        for (LongConsumer l : commitListeners) {
            try {
                l.accept(id);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "commit listener failed", e);
            }
        }
    }

    private void runBatch(Pending<?> first) {
        WriteTxn txn;
        try {
            txn = store.beginWrite();
        } catch (Throwable t) {
            first.future.completeExceptionally(t);
            drainFailing(t);
            return;
        }
        List<Pending<?>> applied = new ArrayList<>();
        long bytes = 0;
        long deadline = System.nanoTime() + options.maxBatchTime().toNanos();
        int taken = 0;
        Pending<?> p = first;
        try {
            while (p != null) {
                if (p != WAKE) {
                    taken++;
                    bytes += p.bytes;
                    txn = applyOne(txn, p, applied);
                    if (taken >= options.maxOperations() || bytes >= options.maxBytes()
                            || System.nanoTime() >= deadline) {
                        break;
                    }
                }
                p = queue.poll();
                if (p == null && syncing.get() != null) {
                    // The previous batch is still syncing: this batch could not commit yet anyway, so keep
                    // taking operations until the sync ends (it offers WAKE) or the time bound is reached.
                    long left = deadline - System.nanoTime();
                    p = left <= 0 ? null : queue.poll(left, TimeUnit.NANOSECONDS);
                }
            }
            Commit c = txn.prepareCommit(); // waits for the previous batch's sync
            if (applied.isEmpty() && (c.isDurable() || c == syncing.get())) {
                return; // every operation was rejected: nothing new to sync
            }
            syncing.set(c);
            toSync.add(new Prepared(c, applied));
        } catch (Throwable t) {
            // The prepare (or a fresh transaction for a replay) failed: nobody in the batch is durable.
            txn.abort();
            for (Pending<?> done : applied) {
                done.future.completeExceptionally(t);
            }
        }
    }

    /** Applies one operation; returns the transaction to continue in (a fresh one after an unclean failure). */
    private WriteTxn applyOne(WriteTxn txn, Pending<?> p, List<Pending<?>> applied) {
        try {
            p.apply(txn);
            applied.add(p);
            return txn;
        } catch (Throwable t) {
            p.future.completeExceptionally(t);
            rejected.increment();
            if (t instanceof StorageException se && se.leftNoTrace()) {
                return txn;
            }
            // The operation may have changed pages before failing: start over without it.
            replays.increment();
            txn.abort();
            WriteTxn fresh = store.beginWrite();
            List<Pending<?>> again = new ArrayList<>(applied);
            applied.clear();
            for (Pending<?> q : again) {
                fresh = applyOne(fresh, q, applied);
            }
            return fresh;
        }
    }

    private void drainFailing(Throwable cause) {
        for (Pending<?> p = queue.poll(); p != null; p = queue.poll()) {
            if (p != WAKE) {
                p.future.completeExceptionally(cause);
            }
        }
    }

    /**
     * Stops accepting, lets the writer apply and commit everything already queued, and waits for it. Does not
     * close the store.
     */
    @Override
    public void close() throws InterruptedException {
        accepting = false;
        queue.offer(WAKE); // wakes the writer's poll at once (a full queue: it is busy anyway); no interrupt
        writer.join();
        syncer.join();
    }
}

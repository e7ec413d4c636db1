package dev.blitdb.storage.merger;

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
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongConsumer;

/**
 * Turns many concurrent writes into few durable commits (see the package documentation). One platform thread,
 * named {@code blitdb-merger-<folder>}, owns the store's write transaction while the merger is open.
 *
 * <p>Futures are completed on the writer thread right after the commit is durable: dependents attached with the
 * non-async {@code CompletableFuture} methods run there too, so keep them short or use the {@code …Async} forms.
 */
public final class TransactionMerger implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(TransactionMerger.class.getName());

    private final Store store;
    private final MergerOptions options;
    private final BlockingQueue<Pending<?>> queue;
    private final Thread writer;
    private final List<LongConsumer> commitListeners = new CopyOnWriteArrayList<>();
    private final LongAdder commits = new LongAdder();
    private final LongAdder operations = new LongAdder();
    private final LongAdder rejected = new LongAdder();
    private final LongAdder replays = new LongAdder();
    private volatile boolean accepting = true;
    private volatile MergerObserver observer = MergerObserver.NONE;

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
        if (!accepting) {
            p.future.completeExceptionally(new StoreClosedException("transaction merger of " + store.file()));
            return p.future;
        }
        try {
            queue.put(p);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.future.completeExceptionally(e);
        }
        return p.future;
    }

    /** Called with the transaction id after every commit, on the writer thread (keep it short: wake someone). */
    public void addCommitListener(LongConsumer listener) {
        commitListeners.add(listener);
    }

    /** Sets the one observer told about every commit (metrics); {@link MergerObserver#NONE} to stop. */
    public void observe(MergerObserver observer) {
        this.observer = observer;
    }

    /** Operations queued and not yet taken by the writer (the writer's current batch not included). */
    public int queueDepth() {
        return queue.size();
    }

    public MergerStats stats() {
        return new MergerStats(commits.sum(), operations.sum(), rejected.sum(), replays.sum());
    }

    private void run() {
        while (accepting || !queue.isEmpty()) {
            Pending<?> first;
            try {
                first = queue.poll(50, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                // Never interrupted on purpose: an interrupt would close the store's FileChannel mid-growth.
                continue;
            }
            if (first != null) {
                runBatch(first);
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
                taken++;
                bytes += p.bytes;
                txn = applyOne(txn, p, applied);
                if (taken >= options.maxOperations() || bytes >= options.maxBytes()
                        || System.nanoTime() >= deadline) {
                    break;
                }
                p = queue.poll();
            }
            long commitStarted = System.nanoTime();
            long id = txn.commit();
            long committed = System.nanoTime();
            commits.increment();
            operations.add(applied.size());
            observer.committed(applied.size(), committed - commitStarted);
            for (Pending<?> done : applied) {
                done.complete();
            }
            for (LongConsumer l : commitListeners) {
                try {
                    l.accept(id);
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "commit listener failed", e);
                }
            }
        } catch (Throwable t) {
            // The commit (or a fresh transaction for a replay) failed: nobody in the batch is durable.
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
            p.future.completeExceptionally(cause);
        }
    }

    /**
     * Stops accepting, lets the writer apply and commit everything already queued, and waits for it. Does not
     * close the store.
     */
    @Override
    public void close() throws InterruptedException {
        accepting = false;
        writer.join(); // the writer notices within its 50 ms poll; no interrupt (see run())
    }
}

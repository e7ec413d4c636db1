package dev.blitdb.server.http.bulkinsert;

import dev.blitdb.storage.documents.BatchCommandException;
import dev.blitdb.storage.documents.DocumentCommand;
import dev.blitdb.storage.documents.DocumentStore;
import dev.blitdb.storage.documents.DocumentWrites;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Groups the documents of one bulk insert into large batches and hands each to the store's transaction merger
 * while the next one is being converted — so parsing and committing overlap — with backpressure: once more than
 * {@code maxInFlightBytes} of submitted batches are not yet committed, {@link #add} waits for the oldest. Memory
 * is therefore bounded by the batch being filled plus the in-flight limit, whatever the stream's length.
 *
 * <p>Each batch is one all-or-nothing {@link DocumentStore#batch} call; the merger may commit several together.
 * {@link #committed()} counts the documents of batches known to be durable.
 */
public final class BatchPipeline {

    /** One submitted batch: its future, where it starts in the stream, its size. */
    private record InFlight(CompletableFuture<List<Object>> future, long firstIndex, int count, long bytes) {
    }

    private final DocumentWrites store;
    private final int maxBatchDocuments;
    private final long maxBatchBytes;
    private final long maxInFlightBytes;
    private final ArrayDeque<InFlight> inFlight = new ArrayDeque<>();
    private List<DocumentCommand> current = new ArrayList<>();
    private long currentFirstIndex;
    private long currentBytes;
    private long inFlightBytes;
    private long committed;
    private long batches;

    public BatchPipeline(DocumentWrites store, int maxBatchDocuments, long maxBatchBytes, long maxInFlightBytes) {
        this.store = store;
        this.maxBatchDocuments = maxBatchDocuments;
        this.maxBatchBytes = maxBatchBytes;
        this.maxInFlightBytes = maxInFlightBytes;
    }

    /** Adds the document at stream position {@code index}; may wait for earlier batches to commit. */
    public void add(DocumentCommand.Put put, long index) {
        if (current.isEmpty()) {
            currentFirstIndex = index;
        }
        current.add(put);
        currentBytes += put.blittable().length;
        if (current.size() >= maxBatchDocuments || currentBytes >= maxBatchBytes) {
            submit();
        }
    }

    private void submit() {
        if (current.isEmpty()) {
            return;
        }
        inFlight.add(new InFlight(store.batch(current), currentFirstIndex, current.size(), currentBytes));
        inFlightBytes += currentBytes;
        batches++;
        current = new ArrayList<>();
        currentBytes = 0;
        while (inFlightBytes > maxInFlightBytes) {
            awaitOldest();
        }
    }

    /**
     * Waits for the oldest in-flight batch. On failure throws {@link BulkInsertFailure} with the stream position
     * of the failing document — after every other in-flight batch has settled, so {@link #committed()} is final.
     */
    private void awaitOldest() {
        InFlight oldest = inFlight.removeFirst();
        inFlightBytes -= oldest.bytes();
        try {
            oldest.future().join();
            committed += oldest.count();
        } catch (CompletionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            long at = oldest.firstIndex() + (cause instanceof BatchCommandException b ? b.index() : 0);
            settle();
            throw new BulkInsertFailure(at, cause);
        }
    }

    /** Submits the last partial batch and waits for all; returns the number of committed documents. */
    public long finish() {
        submit();
        while (!inFlight.isEmpty()) {
            awaitOldest();
        }
        return committed;
    }

    /**
     * After a bad document: commits everything before it (the batch being filled included) and returns how many
     * documents are committed, so the error can say "all N before it are stored".
     */
    public long commitBeforeFailure() {
        try {
            return finish();
        } catch (BulkInsertFailure e) {
            return committed;
        }
    }

    /** Drops the batch being filled and waits for every submitted one, counting those that committed. */
    public void settle() {
        current = new ArrayList<>();
        currentBytes = 0;
        while (!inFlight.isEmpty()) {
            InFlight f = inFlight.removeFirst();
            inFlightBytes -= f.bytes();
            try {
                f.future().join();
                committed += f.count();
            } catch (CompletionException ignored) {
                // the first failure is the one reported; later batches failing for the same reason add nothing
            }
        }
    }

    public long committed() {
        return committed;
    }

    public long batches() {
        return batches;
    }

    /** A batch failed to commit: the stream position of the document that failed, and why. */
    public static final class BulkInsertFailure extends RuntimeException {
        public final long index;

        BulkInsertFailure(long index, Throwable cause) {
            super(cause.getMessage(), cause, false, false);
            this.index = index;
        }
    }
}

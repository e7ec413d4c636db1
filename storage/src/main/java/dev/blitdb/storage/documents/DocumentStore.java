package dev.blitdb.storage.documents;

import dev.blitdb.storage.engine.ReadTxn;
import dev.blitdb.storage.engine.SnapshotCopy;
import dev.blitdb.storage.engine.Store;
import dev.blitdb.storage.engine.StoreOptions;
import dev.blitdb.storage.engine.StoreStats;
import dev.blitdb.storage.engine.WriteTxn;
import dev.blitdb.storage.merger.MergerOptions;
import dev.blitdb.storage.merger.TransactionMerger;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongConsumer;

/**
 * One database: documents with case-insensitive ids, per-database etags and change vectors, collections,
 * tombstones and hi-lo id ranges, in one {@link Store}, written through one {@link TransactionMerger}.
 *
 * <p>Writes return futures completed once the commit holding them is durable; each fails alone with
 * {@link ConcurrencyConflictException} (409), {@link InvalidIdException} / {@link InvalidDocumentException} (400),
 * {@link dev.blitdb.storage.engine.TooLargeException} (413) or {@link dev.blitdb.storage.engine.StoreFullException}
 * (507, possibly wrapped in {@link DocumentWriteFailedException}). Reads go through {@link #beginRead()}.
 *
 * <p>Documents are blittable bytes made by the blittable module's {@code BlitWriter} or {@code BlitBuilder} (trusted:
 * validate bytes from elsewhere with {@code BlitValidator} first). The store keeps a copy whose {@code @metadata}
 * holds {@code @id}, {@code @collection}, {@code @change-vector} and {@code @last-modified}.
 */
public final class DocumentStore implements DocumentWrites, AutoCloseable {

    private final Store store;
    private final TransactionMerger merger;
    private final String databaseId;
    private final DocumentWriter writer;

    private DocumentStore(Store store, MergerOptions mergerOptions, String databaseId) {
        this.store = store;
        this.databaseId = databaseId;
        this.writer = new DocumentWriter(databaseId);
        this.merger = new TransactionMerger(store, mergerOptions);
    }

    /** Opens (or creates) the database in folder {@code dir} with default options. */
    public static DocumentStore open(Path dir) throws IOException {
        return open(dir, StoreOptions.defaults(), MergerOptions.defaults());
    }

    /** Opens (or creates) the database in folder {@code dir}; a new one gets a fresh random database id. */
    public static DocumentStore open(Path dir, StoreOptions options, MergerOptions mergerOptions) throws IOException {
        return open(dir, options, mergerOptions, null);
    }

    /**
     * Opens (or creates) the database in folder {@code dir} with a database id given by the caller: a replicated
     * database uses its group's id on every node, so change vectors are the same everywhere.
     *
     * @param databaseId the id a new store gets (null = a fresh random one); an existing store must already have it
     * @throws IllegalStateException when the existing store has another id (it was created elsewhere)
     */
    public static DocumentStore open(Path dir, StoreOptions options, MergerOptions mergerOptions, String databaseId)
            throws IOException {
        Store store = Store.open(dir, options);
        try {
            String id;
            try (WriteTxn w = store.beginWrite()) {
                MemorySegment stored = w.get(Trees.DB, Trees.DB_ID);
                if (stored != null) {
                    id = new String(stored.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
                    if (databaseId != null && !databaseId.equals(id)) {
                        throw new IllegalStateException("the store in " + dir + " has database id '" + id
                                + "', not '" + databaseId + "': it was created by another node or group");
                    }
                } else if (databaseId != null) {
                    id = databaseId;
                    w.put(Trees.DB, Trees.DB_ID, id.getBytes(StandardCharsets.UTF_8));
                    w.commit();
                } else {
                    byte[] random = new byte[16];
                    new SecureRandom().nextBytes(random);
                    id = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
                    w.put(Trees.DB, Trees.DB_ID, id.getBytes(StandardCharsets.UTF_8));
                    w.commit();
                }
            }
            return new DocumentStore(store, mergerOptions, id);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    /** The id that ends every change vector of this database ({@code A:{etag}-{databaseId}}). */
    public String databaseId() {
        return databaseId;
    }

    /**
     * Stores a document (blittable bytes; the array must not change until the future completes).
     *
     * @param expectedChangeVector null = don't care, "" = must not exist yet, else must equal the stored one
     */
    public CompletableFuture<PutResult> put(String id, byte[] blittable, String expectedChangeVector) {
        return put(id, MemorySegment.ofArray(blittable), expectedChangeVector);
    }

    /** {@link #put(String, byte[], String)} from a segment that stays valid until the future completes. */
    @Override
    public CompletableFuture<PutResult> put(String id, MemorySegment blittable, String expectedChangeVector) {
        DocumentIds.ValidId valid;
        try {
            valid = DocumentIds.validate(id);
        } catch (InvalidIdException e) {
            return CompletableFuture.failedFuture(e);
        }
        return put(valid, blittable, expectedChangeVector);
    }

    /** {@link #put(String, MemorySegment, String)} with an id already checked (it is not checked again). */
    @Override
    public CompletableFuture<PutResult> put(DocumentIds.ValidId id, MemorySegment blittable,
                                            String expectedChangeVector) {
        long now = System.currentTimeMillis();
        return merger.submit(txn -> writer.put(txn, id.id(), id.key(), blittable, expectedChangeVector, now),
                blittable.byteSize());
    }

    /** Deletes a document, leaving a tombstone; same change-vector rules as put. */
    @Override
    public CompletableFuture<DeleteResult> delete(String id, String expectedChangeVector) {
        try {
            DocumentIds.key(id);
        } catch (InvalidIdException e) {
            return CompletableFuture.failedFuture(e);
        }
        long now = System.currentTimeMillis();
        return merger.submit(txn -> writer.delete(txn, id, expectedChangeVector, now));
    }

    /**
     * Applies all commands in one transaction, in order: all or none. Results are {@link PutResult} /
     * {@link DeleteResult} in command order; a failing command fails the future with {@link BatchCommandException}
     * naming it, and nothing of the batch is applied.
     */
    @Override
    public CompletableFuture<List<Object>> batch(List<DocumentCommand> commands) {
        List<DocumentCommand> copy = List.copyOf(commands);
        long bytes = 0;
        for (DocumentCommand c : copy) {
            if (c instanceof DocumentCommand.Put p) {
                bytes += p.blittable().length;
            }
        }
        long now = System.currentTimeMillis();
        return merger.submit(txn -> writer.batch(txn, copy, now), bytes);
    }

    /**
     * Reserves the next {@code count} id numbers of a collection (hi-lo), durably: ranges never repeat, also across
     * restarts and crashes.
     */
    @Override
    public CompletableFuture<HiLoRange> reserveIds(String collection, long count) {
        if (count < 1 || count > 1_000_000) {
            return CompletableFuture.failedFuture(new IllegalArgumentException(
                    "reserve 1..1000000 ids at a time, not " + count));
        }
        try {
            DocumentIds.collection(collection);
        } catch (InvalidIdException e) {
            return CompletableFuture.failedFuture(e);
        }
        return merger.submit(txn -> writer.reserveIds(txn, collection, count));
    }

    /** Removes up to {@code max} tombstones with etags up to {@code upToEtag} (once every index has seen them). */
    @Override
    public CompletableFuture<Long> purgeTombstones(long upToEtag, int max) {
        return merger.submit(txn -> writer.purgeTombstones(txn, upToEtag, max));
    }

    /**
     * Applies one replicated log entry (see {@link ReplicatedOperation}) in one merged commit that also records
     * {@code position} as applied; returns each operation's outcome in order. {@code timestamp} (the leader's clock,
     * carried in the entry) becomes every written document's last-modified, so all nodes store the same bytes.
     *
     * <p>For one caller that applies entries in log order and waits for each (a Raft state machine): another write
     * submitted meanwhile would interleave with the rerun of an entry whose batch failed part-way.
     *
     * @throws IllegalStateException when {@code position} is not after {@link #appliedLogPosition()}
     */
    public List<ReplicatedOutcome> applyLogEntry(LogPosition position, long timestamp,
                                                 List<ReplicatedOperation> operations) {
        return applyLogEntries(List.of(new ReplicatedEntry(position, timestamp, operations))).getFirst();
    }

    /**
     * Applies several replicated log entries, in order, in ONE merged commit (a state machine that finds entries
     * queued behind the one it applies pays one commit for all of them); returns each entry's outcomes. The commit
     * records the last entry's position as applied, so a crash leaves all of them applied or none. Each entry is
     * applied exactly as {@link #applyLogEntry} would, so the outcome does not depend on how entries were grouped.
     *
     * @throws IllegalStateException when the entries are not in log order after {@link #appliedLogPosition()}
     */
    public List<List<ReplicatedOutcome>> applyLogEntries(List<ReplicatedEntry> entries) {
        java.util.Map<Integer, java.util.Map<Integer, RuntimeException>> rejected = new java.util.HashMap<>();
        for (; ; ) {
            try {
                return merger.submit(LogEntryApplier.attempt(writer, entries, rejected)).join();
            } catch (java.util.concurrent.CompletionException e) {
                if (e.getCause() instanceof LogEntryApplier.Replay replay) {
                    rejected.computeIfAbsent(replay.entry, k -> new java.util.HashMap<>())
                            .put(replay.op, replay.failure());
                    continue;
                }
                if (e.getCause() instanceof RuntimeException re) {
                    throw re;
                }
                throw e;
            }
        }
    }

    /** The log position of the last replicated entry this store applied ({@link LogPosition#NONE} if none). */
    public LogPosition appliedLogPosition() {
        try (ReadTxn r = store.beginRead()) {
            return LogEntryApplier.read(r);
        }
    }

    /**
     * Streams a compacting {@link SnapshotCopy} of the store's current state to {@code out} (a complete data file)
     * and returns the log position that state has applied, read in the same snapshot as the copy: a replica's Raft
     * snapshot is exactly the store at that position. Writes go on meanwhile (the copy holds one read snapshot).
     */
    public ReplicaSnapshot copySnapshot(WritableByteChannel out, SnapshotCopy.Listener listener) throws IOException {
        try (ReadTxn r = store.beginRead()) {
            LogPosition position = LogEntryApplier.read(r);
            return new ReplicaSnapshot(position, SnapshotCopy.copy(r, out, listener));
        }
    }

    /** A consistent read view; close it promptly. */
    public DocumentReader beginRead() {
        ReadTxn txn = store.beginRead();
        return new DocumentReader(txn, databaseId);
    }

    /**
     * The same view in {@code reuse} (closed, made by {@link DocumentReader#reusable()}), which is returned: for a
     * hot path that keeps one reader per thread instead of allocating one (and its read transaction) per read. It
     * pins the newest snapshot now and releases it on close, exactly as {@link #beginRead()}'s reader does.
     *
     * @throws IllegalStateException if {@code reuse} is open
     */
    public DocumentReader beginRead(DocumentReader reuse) {
        return reuse.reopen(store, databaseId);
    }

    /**
     * Called with the transaction id after every merged commit is durable, on the merger's syncer thread (wake
     * indexers; be quick).
     */
    public void addCommitListener(LongConsumer listener) {
        merger.addCommitListener(listener);
    }

    /** Counts, last etag, file and page numbers. */
    public DatabaseStats stats() {
        StoreStats s = store.stats();
        try (DocumentReader r = beginRead()) {
            return new DatabaseStats(r.documentCount(), r.tombstoneCount(), r.lastEtag(), r.collections(),
                    s.fileBytes(), s.usedPages(), s.freePages(), s.pendingPages(), databaseId);
        }
    }

    /** The engine underneath (stats, prefetch counters, verify). */
    public Store engine() {
        return store;
    }

    /** The merger (its stats show how many writes each commit carried). */
    public TransactionMerger merger() {
        return merger;
    }

    /** Commits what is queued, stops the merger, closes the store. */
    @Override
    public void close() throws IOException {
        try {
            merger.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            store.close();
        }
    }
}

package dev.blitdb.storage.documents;

import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The write side of a database as request handlers see it. A single node writes straight into its
 * {@link DocumentStore}; a clustered node proposes the write to its database group's Raft log and completes the
 * future once the entry is committed by a majority and applied here (the cluster module's implementation). The
 * results and failures are the same in both: {@link ConcurrencyConflictException}, {@link InvalidIdException},
 * {@link BatchCommandException} and so on.
 */
public interface DocumentWrites {

    /** See {@link DocumentStore#put(String, MemorySegment, String)}; the segment stays valid until completion. */
    CompletableFuture<PutResult> put(String id, MemorySegment blittable, String expectedChangeVector);

    /** As {@link #put(String, MemorySegment, String)} with an id already validated (the store skips the check). */
    default CompletableFuture<PutResult> put(DocumentIds.ValidId id, MemorySegment blittable,
                                             String expectedChangeVector) {
        return put(id.id(), blittable, expectedChangeVector);
    }

    /** See {@link DocumentStore#delete(String, String)}. */
    CompletableFuture<DeleteResult> delete(String id, String expectedChangeVector);

    /** See {@link DocumentStore#batch(List)}: all commands or none; results are PutResult / DeleteResult. */
    CompletableFuture<List<Object>> batch(List<DocumentCommand> commands);

    /** See {@link DocumentStore#reserveIds(String, long)}. */
    CompletableFuture<HiLoRange> reserveIds(String collection, long count);

    /**
     * See {@link DocumentStore#purgeTombstones(long, int)}; the number removed. On a cluster node this goes through
     * the log like every write (a local purge would make the replicas' tombstones differ).
     */
    CompletableFuture<Long> purgeTombstones(long upToEtag, int max);
}

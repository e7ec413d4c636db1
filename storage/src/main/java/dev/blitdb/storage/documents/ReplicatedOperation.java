package dev.blitdb.storage.documents;

import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * One write of a replicated log entry, as {@link DocumentStore#applyLogEntry} applies it. An entry holds many
 * operations from many clients; each succeeds or is rejected on its own ({@link ReplicatedOutcome}), exactly as
 * it would in the transaction merger, and — because it depends only on the store's state and the entry — with the
 * same outcome on every node.
 */
public sealed interface ReplicatedOperation {

    /**
     * Store a document (blittable bytes); expected change vector: null = any, "" = must not exist. The segment is
     * read only while the entry is applied (a follower's views the received log entry: no copy per document).
     */
    record Put(String id, MemorySegment blittable, String expectedChangeVector) implements ReplicatedOperation {
        public Put(String id, byte[] blittable, String expectedChangeVector) {
            this(id, MemorySegment.ofArray(blittable), expectedChangeVector);
        }
    }

    /** Delete a document, leaving a tombstone. */
    record Delete(String id, String expectedChangeVector) implements ReplicatedOperation {
    }

    /** A bulk_docs batch: all of its commands or none. */
    record Batch(List<DocumentCommand> commands) implements ReplicatedOperation {
        public Batch {
            commands = List.copyOf(commands);
        }
    }

    /** Reserve the next {@code count} hi-lo id numbers of a collection. */
    record ReserveIds(String collection, long count) implements ReplicatedOperation {
    }

    /**
     * Remove up to {@code max} tombstones with etags up to {@code upToEtag}: through the log, so every node removes
     * the same ones at the same log index and the replicas' tombstones stay identical.
     */
    record PurgeTombstones(long upToEtag, int max) implements ReplicatedOperation {
    }
}

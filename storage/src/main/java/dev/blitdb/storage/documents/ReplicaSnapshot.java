package dev.blitdb.storage.documents;

import dev.blitdb.storage.engine.SnapshotCopy;

/**
 * A snapshot copy of a replicated store ({@link DocumentStore#copySnapshot}): the copy's result and the log
 * position its contents have applied (the Raft snapshot's term and index).
 */
public record ReplicaSnapshot(LogPosition position, SnapshotCopy.Result copy) {
}

package dev.blitdb.cluster.log;

import dev.blitdb.storage.documents.ReplicatedOperation;

import java.util.List;

/**
 * The content of one Raft log entry of a database group: the writes the leader batched, and the leader's clock at
 * that moment, which every node uses as the documents' last-modified (so every node stores the same bytes).
 */
public record LogEntry(long timestamp, List<ReplicatedOperation> operations) {

    public LogEntry {
        operations = List.copyOf(operations);
    }
}

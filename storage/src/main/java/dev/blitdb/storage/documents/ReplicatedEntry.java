package dev.blitdb.storage.documents;

import java.util.List;

/**
 * One replicated log entry to apply ({@link DocumentStore#applyLogEntries}): its log position, the leader's clock
 * when it was formed (every written document's last-modified) and its operations in order.
 */
public record ReplicatedEntry(LogPosition position, long timestamp, List<ReplicatedOperation> operations) {

    public ReplicatedEntry {
        operations = List.copyOf(operations);
    }
}

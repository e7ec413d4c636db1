package dev.blitdb.storage.documents;

import java.util.List;

/** What one {@link ReplicatedOperation} of a log entry did: its result, or why it was rejected. */
public sealed interface ReplicatedOutcome {

    record Stored(PutResult result) implements ReplicatedOutcome {
    }

    record Deleted(DeleteResult result) implements ReplicatedOutcome {
    }

    /** The results of a batch, PutResult / DeleteResult in command order. */
    record Batched(List<Object> results) implements ReplicatedOutcome {
    }

    record Reserved(HiLoRange range) implements ReplicatedOutcome {
    }

    /** How many tombstones a {@link ReplicatedOperation.PurgeTombstones} removed. */
    record Purged(long count) implements ReplicatedOutcome {
    }

    /** Rejected without effect (conflict, invalid id or document, too large, ...); the cause says why. */
    record Rejected(RuntimeException cause) implements ReplicatedOutcome {
    }
}

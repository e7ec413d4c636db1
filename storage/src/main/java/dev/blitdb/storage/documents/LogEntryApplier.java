package dev.blitdb.storage.documents;

import dev.blitdb.storage.engine.StorageException;
import dev.blitdb.storage.engine.Txn;
import dev.blitdb.storage.engine.WriteTxn;
import dev.blitdb.storage.merger.WriteOperation;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.blitdb.storage.documents.StoredDocument.U64;

/**
 * Applies one replicated log entry as one merger operation: every operation in order, each rejected alone when it
 * fails cleanly, and the entry's log position written into the same transaction, so the store's commit holds the
 * entry's writes and "applied up to here" together or not at all.
 *
 * <p>An operation that fails after it changed pages (a bulk batch whose third command conflicts) cannot be undone
 * inside the transaction: the applier then fails the whole attempt with {@link Replay}, and the store runs the entry
 * again with that operation marked rejected up front. The outcome depends only on the store's state and the entry,
 * so every node reaches the same one.
 */
final class LogEntryApplier {

    private LogEntryApplier() {
    }

    static LogPosition read(Txn txn) {
        MemorySegment v = txn.get(Trees.DB, Trees.LOG_APPLIED);
        return v == null ? LogPosition.NONE : new LogPosition(v.get(U64, 0), v.get(U64, 8));
    }

    /** Thrown out of an attempt: operation {@code index} failed after changing pages; rerun without it. */
    static final class Replay extends StorageException {
        final int index;

        Replay(int index, RuntimeException cause) {
            super("replicated operation " + index + " failed part-way: " + cause.getMessage(), cause);
            this.index = index;
        }

        RuntimeException failure() {
            return (RuntimeException) getCause();
        }
    }

    static WriteOperation<List<ReplicatedOutcome>> attempt(DocumentWriter writer, LogPosition position, long now,
                                                            List<ReplicatedOperation> ops,
                                                            Map<Integer, RuntimeException> rejectedUpFront) {
        return txn -> {
            LogPosition applied = read(txn);
            if (position.index() <= applied.index()) {
                throw new IllegalStateException("log entry " + position + " is not after the applied position "
                        + applied + ": entries must be applied once, in log order");
            }
            txn.reserveSpace(2, 64);
            List<ReplicatedOutcome> outcomes = new ArrayList<>(ops.size());
            for (int i = 0; i < ops.size(); i++) {
                RuntimeException known = rejectedUpFront.get(i);
                if (known != null) {
                    outcomes.add(new ReplicatedOutcome.Rejected(known));
                    continue;
                }
                try {
                    outcomes.add(applyOne(writer, txn, ops.get(i), now));
                } catch (StorageException e) {
                    if (!e.leftNoTrace()) {
                        throw new Replay(i, e);
                    }
                    outcomes.add(new ReplicatedOutcome.Rejected(e));
                } catch (IllegalArgumentException e) {
                    outcomes.add(new ReplicatedOutcome.Rejected(e)); // validation before any change
                } catch (RuntimeException e) {
                    throw new Replay(i, e);
                }
            }
            MemorySegment v = txn.reserve(Trees.DB, MemorySegment.ofArray(Trees.LOG_APPLIED), 16);
            v.set(U64, 0, position.term());
            v.set(U64, 8, position.index());
            return outcomes;
        };
    }

    private static ReplicatedOutcome applyOne(DocumentWriter writer, WriteTxn txn, ReplicatedOperation op, long now) {
        return switch (op) {
            case ReplicatedOperation.Put p -> new ReplicatedOutcome.Stored(
                    writer.put(txn, p.id(), p.blittable(), p.expectedChangeVector(), now));
            case ReplicatedOperation.Delete d -> new ReplicatedOutcome.Deleted(
                    writer.delete(txn, d.id(), d.expectedChangeVector(), now));
            case ReplicatedOperation.Batch b -> new ReplicatedOutcome.Batched(writer.batch(txn, b.commands(), now));
            case ReplicatedOperation.ReserveIds r -> {
                if (r.count() < 1 || r.count() > 1_000_000) {
                    throw new IllegalArgumentException("reserve 1..1000000 ids at a time, not " + r.count());
                }
                yield new ReplicatedOutcome.Reserved(writer.reserveIds(txn, r.collection(), r.count()));
            }
            case ReplicatedOperation.PurgeTombstones t -> {
                if (t.max() < 1) {
                    throw new IllegalArgumentException("purge at least 1 tombstone at a time, not " + t.max());
                }
                yield new ReplicatedOutcome.Purged(writer.purgeTombstones(txn, t.upToEtag(), t.max()));
            }
        };
    }
}

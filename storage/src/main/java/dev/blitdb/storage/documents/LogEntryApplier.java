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
 * Applies replicated log entries (one, or several queued together) as one merger operation: every operation in order, each rejected alone when it
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

    /** Thrown out of an attempt: operation {@code op} of entry {@code entry} failed after changing pages. */
    static final class Replay extends StorageException {
        final int entry;
        final int op;

        Replay(int entry, int op, RuntimeException cause) {
            super("replicated operation " + op + " of entry " + entry + " failed part-way: " + cause.getMessage(),
                    cause);
            this.entry = entry;
            this.op = op;
        }

        RuntimeException failure() {
            return (RuntimeException) getCause();
        }
    }

    /**
     * One merger operation applying {@code entries} in order, each entry's position written after its operations
     * (the commit holds the last one). {@code rejectedUpFront} maps entry number to (operation number to its known
     * failure) from earlier attempts; a part-way failure throws {@link Replay} to rerun the whole group.
     */
    static WriteOperation<List<List<ReplicatedOutcome>>> attempt(
            DocumentWriter writer, List<ReplicatedEntry> entries,
            Map<Integer, Map<Integer, RuntimeException>> rejectedUpFront) {
        return txn -> {
            LogPosition applied = read(txn);
            List<List<ReplicatedOutcome>> all = new ArrayList<>(entries.size());
            for (int e = 0; e < entries.size(); e++) {
                ReplicatedEntry entry = entries.get(e);
                LogPosition position = entry.position();
                if (position.index() <= applied.index()) {
                    throw new IllegalStateException("log entry " + position + " is not after the applied position "
                            + applied + ": entries must be applied once, in log order");
                }
                txn.reserveSpace(2, 64);
                Map<Integer, RuntimeException> known = rejectedUpFront.getOrDefault(e, Map.of());
                List<ReplicatedOperation> ops = entry.operations();
                List<ReplicatedOutcome> outcomes = new ArrayList<>(ops.size());
                for (int i = 0; i < ops.size(); i++) {
                    RuntimeException rejected = known.get(i);
                    if (rejected != null) {
                        outcomes.add(new ReplicatedOutcome.Rejected(rejected));
                        continue;
                    }
                    try {
                        outcomes.add(applyOne(writer, txn, ops.get(i), entry.timestamp()));
                    } catch (StorageException x) {
                        if (!x.leftNoTrace()) {
                            throw new Replay(e, i, x);
                        }
                        outcomes.add(new ReplicatedOutcome.Rejected(x));
                    } catch (IllegalArgumentException x) {
                        outcomes.add(new ReplicatedOutcome.Rejected(x)); // validation before any change
                    } catch (RuntimeException x) {
                        throw new Replay(e, i, x);
                    }
                }
                MemorySegment v = txn.reserve(Trees.DB, MemorySegment.ofArray(Trees.LOG_APPLIED), 16);
                v.set(U64, 0, position.term());
                v.set(U64, 8, position.index());
                applied = position;
                all.add(outcomes);
            }
            return all;
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

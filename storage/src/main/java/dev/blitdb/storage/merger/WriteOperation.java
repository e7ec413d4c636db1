package dev.blitdb.storage.merger;

import dev.blitdb.storage.engine.WriteTxn;

/**
 * One unit of work for the {@link TransactionMerger}, applied on the merger's writer thread inside a transaction
 * shared with other operations.
 *
 * <p>Contract: check everything that can reject the operation first and reject by throwing a
 * {@link dev.blitdb.storage.engine.StorageException} whose {@code leftNoTrace()} is true (or
 * {@link RejectedOperationException}) before the first change. Be deterministic: given the same state, apply the
 * same changes (the merger may apply an operation again in a fresh transaction after another one failed
 * unexpectedly). Return a value that does not refer to the transaction's memory: segments read from {@code txn}
 * are invalid once the batch commits.
 *
 * @param <R> the result handed to the caller's future
 */
@FunctionalInterface
public interface WriteOperation<R> {

    R apply(WriteTxn txn);
}

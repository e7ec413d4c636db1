/**
 * Group commit. {@link dev.blitdb.storage.merger.TransactionMerger} lets many threads submit
 * {@link dev.blitdb.storage.merger.WriteOperation}s; one writer thread applies as many as fit in one write
 * transaction (bounded by count, bytes and time), commits once — one log record and one {@code fdatasync} for the whole batch, on a second thread
 * while the writer applies the next batch — and completes each caller's future with its own result or its own
 * error once the batch is durable.
 *
 * <p>Isolation of failures is <em>validate before apply</em>: an operation checks everything that can reject it
 * (expected change vector, sizes, file space) before it changes a page, and signals a rejection with a
 * {@link dev.blitdb.storage.engine.StorageException} whose {@code leftNoTrace()} is true. Such a failure completes
 * that caller's future exceptionally and the batch goes on. Any other exception means the transaction may hold
 * half of that operation: the merger aborts it, fails that operation, and re-applies the operations that had
 * succeeded in a fresh transaction (operations are deterministic functions of the state they see). We chose this
 * over per-operation savepoints because copy-on-write pages are modified in place once the transaction owns them,
 * so a savepoint would need a page-level undo copy on every first touch, while a validated rejection costs nothing.
 */
package dev.blitdb.storage.merger;

package dev.blitdb.client.bulk;

/**
 * What a completed bulk insert did.
 *
 * @param inserted     documents committed
 * @param batches      transactions-worth of documents the server submitted (several may share one commit)
 * @param serverMillis time the server spent on the request
 */
public record BulkInsertResult(long inserted, long batches, long serverMillis) {
}

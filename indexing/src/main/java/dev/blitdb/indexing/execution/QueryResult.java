package dev.blitdb.indexing.execution;

/**
 * What a query answered besides its documents.
 *
 * @param totalResults   how many documents matched in all (not just this page)
 * @param returned       documents handed to the visitor (a page may hold fewer than asked when the index is
 *                       stale and a matched document has since been deleted)
 * @param isStale        whether the index had not yet processed everything written before the query began
 * @param indexName      the index that answered, or {@code null} for a plain collection walk
 * @param durationMillis time from start to the last document
 */
public record QueryResult(long totalResults, int returned, boolean isStale, String indexName, long durationMillis,
                          long skippedResults) {

    /** The same answer, marked stale (a wait for a non-stale index timed out). */
    public QueryResult markedStale() {
        return new QueryResult(totalResults, returned, true, indexName, durationMillis, skippedResults);
    }
}

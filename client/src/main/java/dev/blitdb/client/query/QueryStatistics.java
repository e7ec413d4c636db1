package dev.blitdb.client.query;

/**
 * Filled by a query run with {@code statistics(stats)}: the numbers of its last execution. A plain holder, so
 * a caller can keep one and read it after {@code toList()}.
 */
public final class QueryStatistics {

    private long totalResults;
    private long skippedResults;
    private boolean stale;
    private String indexName;
    private long durationInMs;

    /** An empty holder, filled when the query runs. */
    public QueryStatistics() {
    }

    void fill(QueryResult result) {
        totalResults = result.totalResults();
        skippedResults = result.skippedResults();
        stale = result.stale();
        indexName = result.indexName();
        durationInMs = result.durationInMs();
    }

    /** How many documents match, whatever the page. */
    public long totalResults() {
        return totalResults;
    }

    /** How many matches the server skipped (the {@code skip} of the query). */
    public long skippedResults() {
        return skippedResults;
    }

    /** Whether the index had not yet seen every write when it answered. */
    public boolean isStale() {
        return stale;
    }

    /** The index that answered (an automatic one such as {@code Auto/Users/ByAge}), or null. */
    public String indexName() {
        return indexName;
    }

    /** How long the server took, in milliseconds. */
    public long durationInMs() {
        return durationInMs;
    }
}

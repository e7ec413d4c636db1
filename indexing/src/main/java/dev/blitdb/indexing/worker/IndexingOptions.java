package dev.blitdb.indexing.worker;

import dev.blitdb.indexing.lucene.LuceneIndex;

import java.time.Duration;

/**
 * How big an index worker's units of work are and how often it commits. A batch ends at whichever limit comes
 * first, so that a priority change, a pause or a shut-down never waits long. Batches do not commit: the Lucene
 * writer flushes segments when its RAM buffer fills, progress is committed (durably, with the last etags in the
 * commit data) at most every {@code commitInterval}, and a worker that has caught up makes its work visible to
 * queries at once with a near-real-time refresh (no fsync).
 *
 * @param batchDocuments    documents per batch at most
 * @param batchTime         time per batch at most (checked every few documents)
 * @param prefetchDocuments how many documents ahead of the one being indexed are advised to the kernel
 * @param tombstoneBatch    deletes applied per batch at most
 * @param prefetch          whether to advise the kernel of the documents ahead ({@code madvise(WILLNEED)});
 *                          off only to measure what it is worth
 * @param commitInterval    the longest time indexed work stays uncommitted (redone after a crash, never lost)
 *                          once the worker has caught up
 * @param behindCommitInterval the same while the worker is behind (a rebuild, a burst of writes): each commit
 *                          forces a flush of a small segment and an fsync, measured at a sixth of a rebuild's
 *                          time with 5 s (bench/results/indexing.md), so a rebuild commits its progress less often
 * @param directories       opens each index's Lucene directory (memory-mapped; tests wrap it to inject faults)
 * @param refreshInterval   while writes keep arriving, a caught-up worker refreshes the searchers at most this
 *                          often (only if the index was queried lately): each refresh flushes a small segment,
 *                          which later merges rewrite. A query waiting for non-stale results, or writes
 *                          pausing (nothing new for 200 ms), refreshes at once.
 */
public record IndexingOptions(int batchDocuments, Duration batchTime, int prefetchDocuments, int tombstoneBatch,
                              boolean prefetch, Duration commitInterval, Duration behindCommitInterval,
                              LuceneIndex.DirectoryFactory directories, Duration refreshInterval) {

    public static final Duration DEFAULT_COMMIT_INTERVAL = Duration.ofSeconds(5);
    public static final Duration DEFAULT_BEHIND_COMMIT_INTERVAL = Duration.ofSeconds(30);
    public static final Duration DEFAULT_REFRESH_INTERVAL = Duration.ofSeconds(1);

    public static IndexingOptions defaults() {
        // 32k documents or 1 s: raising the priority, pausing or shutting down waits at most about a second.
        return new IndexingOptions(32_768, Duration.ofSeconds(1), 512, 16_384, true);
    }

    public IndexingOptions(int batchDocuments, Duration batchTime, int prefetchDocuments, int tombstoneBatch) {
        this(batchDocuments, batchTime, prefetchDocuments, tombstoneBatch, true);
    }

    public IndexingOptions(int batchDocuments, Duration batchTime, int prefetchDocuments, int tombstoneBatch,
                           boolean prefetch) {
        this(batchDocuments, batchTime, prefetchDocuments, tombstoneBatch, prefetch, DEFAULT_COMMIT_INTERVAL,
                DEFAULT_BEHIND_COMMIT_INTERVAL, LuceneIndex.DirectoryFactory.MMAP, DEFAULT_REFRESH_INTERVAL);
    }

    public IndexingOptions withPrefetch(boolean enabled) {
        return new IndexingOptions(batchDocuments, batchTime, prefetchDocuments, tombstoneBatch, enabled,
                commitInterval, behindCommitInterval, directories, refreshInterval);
    }

    /** Both commit intervals (caught up and behind) set to {@code interval}. */
    public IndexingOptions withCommitInterval(Duration interval) {
        return new IndexingOptions(batchDocuments, batchTime, prefetchDocuments, tombstoneBatch, prefetch, interval,
                interval, directories, refreshInterval);
    }

    public IndexingOptions withBehindCommitInterval(Duration interval) {
        return new IndexingOptions(batchDocuments, batchTime, prefetchDocuments, tombstoneBatch, prefetch,
                commitInterval, interval, directories, refreshInterval);
    }

    public IndexingOptions withDirectories(LuceneIndex.DirectoryFactory factory) {
        return new IndexingOptions(batchDocuments, batchTime, prefetchDocuments, tombstoneBatch, prefetch,
                commitInterval, behindCommitInterval, factory, refreshInterval);
    }

    public IndexingOptions withRefreshInterval(Duration interval) {
        return new IndexingOptions(batchDocuments, batchTime, prefetchDocuments, tombstoneBatch, prefetch,
                commitInterval, behindCommitInterval, directories, interval);
    }

    public IndexingOptions {
        if (batchDocuments < 1 || prefetchDocuments < 1 || tombstoneBatch < 1 || batchTime.isNegative()
                || batchTime.isZero() || commitInterval.isNegative() || behindCommitInterval.isNegative()
                || refreshInterval.isNegative()) {
            throw new IllegalArgumentException("indexing options must be positive: " + batchDocuments + ", "
                    + batchTime + ", " + prefetchDocuments + ", " + tombstoneBatch + ", " + commitInterval);
        }
        java.util.Objects.requireNonNull(directories, "directories");
    }
}

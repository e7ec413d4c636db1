package dev.blitdb.indexing.worker;

import java.time.Duration;

/**
 * How big an index worker's units of work are. A batch ends at whichever limit comes first, so that a priority
 * change, a pause or a shut-down never waits long; each batch ends with a Lucene commit (durable progress).
 *
 * @param batchDocuments    documents per batch at most
 * @param batchTime         time per batch at most (checked every few documents)
 * @param prefetchDocuments how many documents ahead of the one being indexed are advised to the kernel
 * @param tombstoneBatch    deletes applied per batch at most
 * @param prefetch          whether to advise the kernel of the documents ahead ({@code madvise(WILLNEED)});
 *                          off only to measure what it is worth
 */
public record IndexingOptions(int batchDocuments, Duration batchTime, int prefetchDocuments, int tombstoneBatch,
                              boolean prefetch) {

    public static IndexingOptions defaults() {
        // 32k documents or 1 s: few enough commits (each flushes a Lucene segment) for a fast rebuild, short
        // enough that raising the priority, pausing or shutting down waits at most about a second.
        return new IndexingOptions(32_768, Duration.ofSeconds(1), 512, 16_384, true);
    }

    public IndexingOptions(int batchDocuments, Duration batchTime, int prefetchDocuments, int tombstoneBatch) {
        this(batchDocuments, batchTime, prefetchDocuments, tombstoneBatch, true);
    }

    public IndexingOptions withPrefetch(boolean enabled) {
        return new IndexingOptions(batchDocuments, batchTime, prefetchDocuments, tombstoneBatch, enabled);
    }

    public IndexingOptions {
        if (batchDocuments < 1 || prefetchDocuments < 1 || tombstoneBatch < 1 || batchTime.isNegative()
                || batchTime.isZero()) {
            throw new IllegalArgumentException("indexing options must be positive: " + batchDocuments + ", "
                    + batchTime + ", " + prefetchDocuments + ", " + tombstoneBatch);
        }
    }
}

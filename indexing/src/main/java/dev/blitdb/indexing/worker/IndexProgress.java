package dev.blitdb.indexing.worker;

/**
 * How far an index is through its collection, as {@code /indexes/stats} ({@code Progress}) and {@code /metrics}
 * show it.
 *
 * @param processed          documents of the collection whose current version is indexed: total minus lag
 * @param total              documents in the collection now
 * @param lagDocuments       documents whose current version is not indexed yet (each counted once, however often
 *                           it was written)
 * @param lagEtags           the collection's newest etag minus the last etag the index processed
 * @param documentsPerSecond over the batches of the last ten seconds (wall clock)
 * @param etaSeconds         lag / rate; -1 when the index is caught up or not moving
 * @param lastBatchNanos     duration of the last batch that did work
 */
public record IndexProgress(long processed, long total, long lagDocuments, long lagEtags, double documentsPerSecond,
                            double etaSeconds, long lastBatchNanos) {

    /** Share processed, 0 to 100; 100 for an empty collection. */
    public double percent() {
        return total == 0 ? 100 : Math.min(100, 100.0 * processed / total);
    }
}

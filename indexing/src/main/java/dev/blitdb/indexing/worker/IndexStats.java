package dev.blitdb.indexing.worker;

import dev.blitdb.indexing.definition.IndexPriority;

/**
 * A snapshot of one index's numbers, as {@code /indexes/stats} shows them.
 *
 * @param effectiveNice      the worker thread's nice value read back from the OS; null when unknown
 * @param threadId           the worker's kernel thread id; null when unknown
 * @param lastDocumentEtag   every document of the collection up to this etag is indexed
 * @param lastTombstoneEtag  every delete up to this etag is applied
 * @param documentsPerSecond over the last batches that indexed documents
 * @param prefetchCalls      madvise(WILLNEED) calls made for the batches ahead
 * @param documentsAdded     of {@code documentsIndexed}, those added without a delete-by-id (known to have no entry)
 * @param refreshes          near-real-time refreshes (each flushes the buffered entries into a segment)
 * @param commits            Lucene commits with the position (each a flush and an fsync)
 */
public record IndexStats(String name, String collection, IndexPriority priority, Integer effectiveNice,
                         Integer threadId, String threadName, IndexState state, long entries,
                         long lastDocumentEtag, long lastTombstoneEtag, long documentsIndexed,
                         long tombstonesApplied, double documentsPerSecond, long batches, long indexingMillis,
                         long errors, long prefetchCalls, long prefetchedDocuments, long sizeOnDisk,
                         int priorityHandoffs, boolean stale, long documentsAdded, long refreshes,
                         long commits) {
}

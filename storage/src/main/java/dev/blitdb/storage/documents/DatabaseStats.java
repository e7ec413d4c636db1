package dev.blitdb.storage.documents;

import java.util.Map;

/**
 * Numbers of one database.
 *
 * @param documents    live documents
 * @param tombstones   tombstones kept for indexes
 * @param lastEtag     the highest etag given out
 * @param collections  document count per collection (original name)
 * @param fileBytes    data file size
 * @param usedPages    pages below the high-water mark
 * @param freePages    pages reusable now
 * @param pendingPages pages waiting for old readers to finish
 * @param databaseId   the id in every change vector
 */
public record DatabaseStats(long documents, long tombstones, long lastEtag, Map<String, Long> collections,
                            long fileBytes, long usedPages, long freePages, long pendingPages, String databaseId) {
}

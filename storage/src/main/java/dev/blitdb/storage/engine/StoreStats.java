package dev.blitdb.storage.engine;

/**
 * A store's numbers as of its last commit, plus its open readers now.
 *
 * @param lastTxnId          id of the newest committed transaction
 * @param fileBytes          size of the data file (including preallocated, never-used space)
 * @param usedPages          pages below the high-water mark (ever used)
 * @param freePages          pages in the free pool, reusable now
 * @param pendingPages       pages freed by commits but still visible to an open snapshot
 * @param openReaders        read transactions open now
 * @param oldestReaderTxnId  the snapshot the oldest open reader sees, or -1 when none (long readers pin pages)
 */
public record StoreStats(long lastTxnId, long fileBytes, long usedPages, long freePages, long pendingPages,
                         int openReaders, long oldestReaderTxnId) {

    /** Bytes of pages in use by live data (used minus free minus pending). */
    public long liveBytes() {
        return (usedPages - freePages - pendingPages) * Limits.PAGE_SIZE;
    }
}

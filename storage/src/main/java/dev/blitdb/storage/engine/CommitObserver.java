package dev.blitdb.storage.engine;

/**
 * Told about every durable commit of a store, on the writer thread right after the commit point is written
 * (metrics: bytes and sync time per commit). Keep it short: the next commit waits for it.
 */
@FunctionalInterface
public interface CommitObserver {

    /** Observes nothing; a store starts with it. */
    CommitObserver NONE = (bytes, syncNanos) -> { };

    /**
     * @param bytesWritten the bytes of the range the commit synced: its dirty pages and its meta page
     * @param syncNanos    time of the commit's one sync (0 when the store does not sync)
     */
    void committed(long bytesWritten, long syncNanos);
}

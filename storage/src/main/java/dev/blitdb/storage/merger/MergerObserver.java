package dev.blitdb.storage.merger;

/** Told about every commit of a merger, on its writer thread (metrics). Keep it short: the next batch waits. */
@FunctionalInterface
public interface MergerObserver {

    MergerObserver NONE = (operations, commitNanos) -> { };

    /**
     * @param operations  writes the commit made durable
     * @param commitNanos time of the commit itself: checksums, sync, publishing the new snapshot
     */
    void committed(int operations, long commitNanos);
}

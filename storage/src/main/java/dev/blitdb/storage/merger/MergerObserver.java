package dev.blitdb.storage.merger;

/** Told about every commit of a merger, on its writer thread (metrics). Keep it short: the next batch waits. */
@FunctionalInterface
public interface MergerObserver {

    MergerObserver NONE = (operations, commitNanos) -> { };

    /**
     * @param operations  writes the commit made durable
     * @param commitNanos time to make the prepared batch durable: its sync and commit point (the writer already
     *                    applies the next batch meanwhile)
     */
    void committed(int operations, long commitNanos);
}

package dev.blitdb.indexing.worker;

/**
 * The documents an index worker indexed in its last batches, by wall-clock time, so progress can say how fast a
 * rebuild goes now (not averaged over the index's whole life) and how long the last batch took. Written by the
 * worker thread once per batch, read by stats and metrics; a small lock keeps the pair of arrays consistent.
 */
final class ThroughputWindow {

    /** Batches older than this do not count towards the rate. */
    static final long WINDOW_NANOS = 10_000_000_000L;
    private static final int SLOTS = 64;

    private final long[] startedAt = new long[SLOTS];
    private final long[] endedAt = new long[SLOTS];
    private final long[] documents = new long[SLOTS];
    private int next;
    private int size;
    private long lastBatchNanos;

    /** One batch that started at {@code startedNanos} and indexed {@code indexed} documents ended now. */
    synchronized void record(long startedNanos, long endedNanos, int indexed) {
        startedAt[next] = startedNanos;
        endedAt[next] = endedNanos;
        documents[next] = indexed;
        next = (next + 1) % SLOTS;
        size = Math.min(SLOTS, size + 1);
        lastBatchNanos = endedNanos - startedNanos;
    }

    /** Forgets everything (the index was emptied for a rebuild). */
    synchronized void clear() {
        size = 0;
        next = 0;
        lastBatchNanos = 0;
    }

    /**
     * Documents per second from the start of the oldest batch that ended in the last {@link #WINDOW_NANOS} up to
     * {@code now} (idle time between batches counts: this is the rate a person waiting sees); 0 when none.
     */
    synchronized double documentsPerSecond(long now) {
        long docs = 0;
        long from = now;
        for (int i = 0, slot = next; i < size; i++) {
            slot = (slot - 1 + SLOTS) % SLOTS;
            if (now - endedAt[slot] > WINDOW_NANOS) {
                break;
            }
            docs += documents[slot];
            from = startedAt[slot];
        }
        long span = now - from;
        return docs == 0 || span <= 0 ? 0 : docs / (span / 1e9);
    }

    synchronized long lastBatchNanos() {
        return lastBatchNanos;
    }
}

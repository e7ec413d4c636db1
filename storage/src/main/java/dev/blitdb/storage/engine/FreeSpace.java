package dev.blitdb.storage.engine;

import java.util.BitSet;

/**
 * The free pool: pages below the high-water mark that no live snapshot can reach. Writer-owned (no locking).
 * Allocation takes the lowest free page (or the lowest run of n), which keeps the file dense under churn.
 */
final class FreeSpace {

    private final BitSet free = new BitSet();
    private int lowestHint;
    private long count;

    void release(long page) {
        int p = Math.toIntExact(page);
        if (!free.get(p)) {
            free.set(p);
            count++;
            if (p < lowestHint) {
                lowestHint = p;
            }
        }
    }

    void releaseRun(long first, int pages) {
        for (int i = 0; i < pages; i++) {
            release(first + i);
        }
    }

    /** Takes the lowest run of {@code pages} free pages; returns -1 if there is none. */
    long take(int pages) {
        int from = free.nextSetBit(lowestHint);
        if (pages == 1) {
            if (from < 0) {
                lowestHint = Integer.MAX_VALUE;
                return -1;
            }
            lowestHint = from + 1;
            free.clear(from);
            count--;
            return from;
        }
        while (from >= 0) {
            int end = free.nextClearBit(from);
            if (end - from >= pages) {
                free.clear(from, from + pages);
                count -= pages;
                return from;
            }
            from = free.nextSetBit(end);
        }
        return -1;
    }

    /** Removes every free page at or above {@code hwm} (after an aborted transaction lowered it back). */
    void truncate(long hwm) {
        int h = Math.toIntExact(hwm);
        count -= free.get(h, Math.max(h, free.length())).cardinality();
        free.clear(h, Math.max(h, free.length()));
    }

    long count() {
        return count;
    }

    /** Lowest free page, for the allocation hint after bulk releases. */
    void resetHint() {
        lowestHint = 0;
    }
}

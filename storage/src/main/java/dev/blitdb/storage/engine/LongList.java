package dev.blitdb.storage.engine;

import java.util.Arrays;

/** A growable list of primitive longs (page numbers), so page bookkeeping makes no boxed garbage. */
final class LongList {

    private long[] values = new long[16];
    private int size;

    void add(long value) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = value;
    }

    long get(int index) {
        return values[index];
    }

    int size() {
        return size;
    }

    long[] toArray() {
        return Arrays.copyOf(values, size);
    }

    void clear() {
        size = 0;
    }
}

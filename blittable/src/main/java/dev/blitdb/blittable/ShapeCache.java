package dev.blitdb.blittable;

import java.util.Arrays;

/**
 * Remembers how objects of a given shape — the same property names arriving in the same order — sort, so that the
 * thousandth tweet's {@code user} object costs a lookup instead of a sort (FORMAT.md §6 needs entries sorted by
 * name). Names are identified by their global number in {@link Names}' cache, valid across documents until that
 * cache is dropped ({@link Names#cacheEpoch}). A direct-mapped table: a colliding shape simply replaces the old one.
 */
final class ShapeCache {
    private static final int SIZE = 2048;
    static final int MAX_PROPERTIES = 128;

    private final int[][] shapes = new int[SIZE][];
    private final int[][] orders = new int[SIZE][];
    private final int[] epochs = new int[SIZE];
    private final int[] globals = new int[MAX_PROPERTIES];

    /**
     * Fills {@code idx[0, n)} with the sorted arrival order of the object whose name ids are
     * {@code ids[start, start + n)}, from the cache or by sorting (and then caching).
     */
    void sort(int[] idx, int[] tmp, int n, int[] ids, int start, Names names) {
        int hash = 0;
        boolean cacheable = n <= MAX_PROPERTIES && n > 1;
        if (cacheable) {
            for (int i = 0; i < n; i++) {
                int g = names.global[ids[start + i]];
                if (g < 0) {
                    cacheable = false;
                    break;
                }
                globals[i] = g;
                hash = (hash + g) * 0x9E3779B1;
            }
        }
        int slot = (hash ^ (hash >>> 15) ^ n) & (SIZE - 1);
        if (cacheable) {
            int[] shape = shapes[slot];
            if (shape != null && epochs[slot] == names.cacheEpoch && shape.length == n
                    && Arrays.equals(shape, 0, n, globals, 0, n)) {
                System.arraycopy(orders[slot], 0, idx, 0, n);
                return;
            }
        }
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        EntrySort.sort(idx, tmp, n, ids, start, names);
        if (cacheable) {
            shapes[slot] = Arrays.copyOf(globals, n);
            orders[slot] = Arrays.copyOf(idx, n);
            epochs[slot] = names.cacheEpoch;
        }
    }
}

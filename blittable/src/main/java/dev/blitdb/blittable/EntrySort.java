package dev.blitdb.blittable;

/**
 * Stable sort of an object's pending entries by name bytes, without allocation (scratch arrays are reused).
 * Stability matters: equal names stay in arrival order, which is how duplicates resolve (FORMAT.md §10).
 */
final class EntrySort {
    private EntrySort() {
    }

    private static final int INSERTION_MAX = 16;

    /**
     * Sorts {@code idx[0..n)} (indexes into {@code ids}, relative to {@code base}) by {@code names.compare} of
     * {@code ids[base + idx[i]]}; {@code tmp} must have room for {@code n} ints.
     */
    static void sort(int[] idx, int[] tmp, int n, int[] ids, int base, Names names) {
        for (int from = 0; from < n; from += INSERTION_MAX) {
            insertion(idx, from, Math.min(from + INSERTION_MAX, n), ids, base, names);
        }
        int[] src = idx;
        int[] dst = tmp;
        for (int run = INSERTION_MAX; run < n; run <<= 1) {
            for (int lo = 0; lo < n; lo += run << 1) {
                int mid = Math.min(lo + run, n);
                int hi = Math.min(lo + (run << 1), n);
                merge(src, dst, lo, mid, hi, ids, base, names);
            }
            int[] t = src;
            src = dst;
            dst = t;
        }
        if (src != idx) {
            System.arraycopy(src, 0, idx, 0, n);
        }
    }

    private static void insertion(int[] a, int from, int to, int[] ids, int base, Names names) {
        for (int i = from + 1; i < to; i++) {
            int v = a[i];
            int id = ids[base + v];
            int j = i - 1;
            while (j >= from && names.compare(ids[base + a[j]], id) > 0) {
                a[j + 1] = a[j];
                j--;
            }
            a[j + 1] = v;
        }
    }

    private static void merge(int[] src, int[] dst, int lo, int mid, int hi, int[] ids, int base, Names names) {
        int i = lo;
        int j = mid;
        int k = lo;
        if (mid >= hi || names.compare(ids[base + src[mid - 1]], ids[base + src[mid]]) <= 0) {
            System.arraycopy(src, lo, dst, lo, hi - lo); // already in order: the common case
            return;
        }
        while (i < mid && j < hi) {
            dst[k++] = names.compare(ids[base + src[j]], ids[base + src[i]]) < 0 ? src[j++] : src[i++];
        }
        while (i < mid) {
            dst[k++] = src[i++];
        }
        while (j < hi) {
            dst[k++] = src[j++];
        }
    }
}

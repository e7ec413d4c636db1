package dev.blitdb.bench.http;

/**
 * Latencies in nanoseconds, in log-linear buckets: 64 sub-buckets per power of two, so any recorded value is
 * reported within 1/64 (≈1.6%) of itself. Not thread-safe: one per load thread, merged at the end.
 */
public final class LatencyHistogram {

    private static final int SUB_BITS = 6;
    private static final int SUB = 1 << SUB_BITS;
    private final long[] counts = new long[64 * SUB];
    private long total;
    private long max;

    void record(long nanos) {
        long v = Math.max(0, nanos);
        counts[index(v)]++;
        total++;
        max = Math.max(max, v);
    }

    void merge(LatencyHistogram other) {
        for (int i = 0; i < counts.length; i++) {
            counts[i] += other.counts[i];
        }
        total += other.total;
        max = Math.max(max, other.max);
    }

    public long count() {
        return total;
    }

    public long max() {
        return max;
    }

    /** The value at quantile {@code q} (0..1), as the upper edge of its bucket. */
    public long valueAt(double q) {
        if (total == 0) {
            return 0;
        }
        long rank = (long) Math.ceil(q * total);
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            seen += counts[i];
            if (seen >= rank && counts[i] > 0) {
                return Math.min(upperEdge(i), max);
            }
        }
        return max;
    }

    private static int index(long v) {
        if (v < SUB) {
            return (int) v;
        }
        int magnitude = 63 - Long.numberOfLeadingZeros(v); // ≥ SUB_BITS
        int shift = magnitude - SUB_BITS;
        int sub = (int) (v >>> shift) - SUB; // 0..SUB-1
        return (shift + 1) * SUB + sub;
    }

    private static long upperEdge(int index) {
        int bucket = index / SUB;
        int sub = index % SUB;
        if (bucket == 0) {
            return sub;
        }
        int shift = bucket - 1;
        return ((long) (SUB + sub + 1) << shift) - 1;
    }
}

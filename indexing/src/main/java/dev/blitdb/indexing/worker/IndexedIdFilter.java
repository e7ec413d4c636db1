package dev.blitdb.indexing.worker;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Which document ids may have an entry in an index that this worker has built from empty: a Bloom filter over the
 * store keys (lowercased id bytes) the worker has added. "Not contained" is certain, so such a document is added
 * to Lucene without the delete-by-id of an update (measured as the dearest part of indexing documents that arrive
 * while the index is built, e.g. an import); "maybe contained" (a real earlier version, or a false positive of
 * about 1%) is updated as before, which is always correct.
 *
 * <p>It grows as ids come (a chain of filters, each twice the size of the one before, sized for about 1% false
 * positives), so an index created before its documents arrive (a dump's index definition) needs no estimate up
 * front. Past {@link #MAX_BITS} it stops growing and answers "maybe" for everything: beyond about 25 million ids
 * the worker updates every document, as it did before. One worker thread uses it; nothing is shared.
 */
final class IndexedIdFilter {

    /** The largest total size, in bits, of the filters (32 MiB). */
    static final long MAX_BITS = 1L << 28;
    private static final int FIRST_BITS_LOG2 = 20; // 128 KiB: ~100k ids
    private static final int PROBES = 7; // optimal for ~10 bits per id: ~1% false positives
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final long maxBits;
    private long[][] filters = new long[0][];
    private int[] counts = new int[0];
    private long totalBits;
    private boolean saturated;

    IndexedIdFilter() {
        this(MAX_BITS);
    }

    /** With another size limit (tests). */
    IndexedIdFilter(long maxBits) {
        this.maxBits = maxBits;
    }

    /** Whether {@code key} may have been added; false is certain. */
    boolean mightContain(MemorySegment key) {
        if (saturated) {
            return true;
        }
        long h = hash(key);
        for (long[] bits : filters) {
            if (contains(bits, h)) {
                return true;
            }
        }
        return false;
    }

    /** Records {@code key} as (possibly) having an entry. */
    void add(MemorySegment key) {
        if (saturated) {
            return;
        }
        int last = filters.length - 1;
        if (last < 0 || counts[last] >= capacity(filters[last])) {
            if (!grow()) {
                saturated = true;
                return;
            }
            last++;
        }
        long h = hash(key);
        long[] bits = filters[last];
        int mask = bits.length * 64 - 1;
        int h1 = (int) h;
        int h2 = (int) (h >>> 32) | 1;
        for (int i = 0; i < PROBES; i++) {
            int bit = (h1 + i * h2) & mask;
            bits[bit >>> 6] |= 1L << bit;
        }
        counts[last]++;
    }

    /** Whether it has stopped growing and answers "maybe" for every key. */
    boolean saturated() {
        return saturated;
    }

    /** Ids recorded (before saturation). */
    long size() {
        long n = 0;
        for (int c : counts) {
            n += c;
        }
        return n;
    }

    private boolean grow() {
        int log2 = FIRST_BITS_LOG2 + filters.length;
        long bits = 1L << log2;
        if (log2 > 30 || totalBits + bits > maxBits) {
            return false;
        }
        long[][] more = java.util.Arrays.copyOf(filters, filters.length + 1);
        more[filters.length] = new long[(int) (bits >>> 6)];
        filters = more;
        counts = java.util.Arrays.copyOf(counts, counts.length + 1);
        totalBits += bits;
        return true;
    }

    /** About 10 bits per id: ~1% false positives with 7 probes. */
    private static int capacity(long[] bits) {
        return bits.length * 64 / 10;
    }

    private static boolean contains(long[] bits, long h) {
        int mask = bits.length * 64 - 1;
        int h1 = (int) h;
        int h2 = (int) (h >>> 32) | 1;
        for (int i = 0; i < PROBES; i++) {
            int bit = (h1 + i * h2) & mask;
            if ((bits[bit >>> 6] & (1L << bit)) == 0) {
                return false;
            }
        }
        return true;
    }

    /** A 64-bit hash of the key's bytes, eight at a time (no allocation). */
    static long hash(MemorySegment key) {
        long n = key.byteSize();
        long h = 0x9E3779B97F4A7C15L ^ n;
        long i = 0;
        for (; i + 8 <= n; i += 8) {
            h = mix(h ^ key.get(LONG, i));
        }
        long tail = 0;
        for (int shift = 0; i < n; i++, shift += 8) {
            tail |= (key.get(ValueLayout.JAVA_BYTE, i) & 0xFFL) << shift;
        }
        return mix(h ^ tail);
    }

    private static long mix(long z) {
        // SplitMix64's finaliser: every input bit reaches every output bit.
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}

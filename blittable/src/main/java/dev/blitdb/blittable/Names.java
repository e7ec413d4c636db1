package dev.blitdb.blittable;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * The writer's property-name dictionary (FORMAT.md §7). Two layers:
 * <ul>
 *   <li>a cache from {@code String} to UTF-8 bytes that survives across documents — Jackson hands out the same
 *       canonical {@code String} for a repeated name, so in steady state a name is neither encoded nor allocated;</li>
 *   <li>the current document's table: id → bytes, ids in first-seen order, plus each name's first 8 bytes as a
 *       big-endian long so most sort comparisons are one unsigned long compare.</li>
 * </ul>
 */
final class Names {
    private static final int MAX_CACHED = 1 << 16;

    // String cache: open addressing, linear probing; entries valid for this document when gen == generation.
    private String[] keys = new String[1024];
    private byte[][] utf8 = new byte[1024][];
    private int[] docId = new int[1024];
    private int[] gen = new int[1024];
    /** A number per cached name, stable until the cache is dropped: lets {@link ShapeCache} work across documents. */
    private int[] slotGlobal = new int[1024];
    private int cached;
    private int generation = 1;
    /** Bumped whenever the cache is dropped, which invalidates global numbers. */
    int cacheEpoch;

    // Current document's table.
    byte[] data = new byte[4096];
    int dataLength;
    int[] start = new int[256];
    int[] length = new int[256];
    long[] prefix = new long[256];
    /** Global number of each document name, or -1 for names that did not come through the String cache. */
    int[] global = new int[256];
    int count;

    // Prediction: the name last seen at the same (depth, index in object) — documents repeat shapes, so the same
    // canonical String usually comes back there. A reference compare does not even touch the String object,
    // which the hash lookup would (a cache miss per property on large documents).
    private static final int PREDICT_SIZE = 1024;
    private final String[] predictedName = new String[PREDICT_SIZE];
    private final int[] predictedId = new int[PREDICT_SIZE];
    private final int[] predictedGen = new int[PREDICT_SIZE];

    /** {@link #intern} with a guess keyed by the property's place; {@code place} is any int, hashed here. */
    int intern(String name, int maxLength, int oldCount, int place) {
        int p = (place * 0x9E3779B9 >>> 22) & (PREDICT_SIZE - 1);
        if (predictedName[p] == name && predictedGen[p] == generation) {
            return predictedId[p];
        }
        int id = intern(name, maxLength, oldCount);
        if (id >= 0) {
            predictedName[p] = name;
            predictedId[p] = id;
            predictedGen[p] = generation;
        }
        return id;
    }

    /** Starts a new document; drops the string cache when it has grown past its bound. */
    void reset() {
        count = 0;
        dataLength = 0;
        if (++generation == Integer.MAX_VALUE || cached > MAX_CACHED) {
            Arrays.fill(keys, null);
            Arrays.fill(utf8, null);
            Arrays.fill(gen, 0);
            Arrays.fill(predictedGen, 0);
            Arrays.fill(predictedName, null);
            cached = 0;
            generation = 1;
            cacheEpoch++;
        }
    }

    /**
     * The id of {@code name} in the current document, adding it on first use. {@code oldCount} is the number of
     * names inherited from a copied document (0 when writing fresh): a name not yet used in this document is
     * first searched among those so one object never holds two ids with equal bytes.
     * Returns {@code -1 - utf8Length} when the name is longer than {@code maxLength}, {@code Integer.MIN_VALUE}
     * for an unpaired surrogate.
     */
    int intern(String name, int maxLength, int oldCount) {
        int mask = keys.length - 1;
        int h = name.hashCode() * 0x9E3779B9;
        int slot = (h ^ (h >>> 16)) & mask;
        String k;
        while ((k = keys[slot]) != null) {
            if (k == name || k.equals(name)) {
                if (gen[slot] == generation) {
                    return docId[slot];
                }
                byte[] bytes = utf8[slot];
                if (bytes.length > maxLength) {
                    return -1 - bytes.length;
                }
                int id = oldCount > 0 ? findOld(bytes, oldCount) : -1;
                if (id < 0) {
                    id = add(bytes, 0, bytes.length);
                    global[id] = slotGlobal[slot];
                }
                docId[slot] = id;
                gen[slot] = generation;
                return id;
            }
            slot = (slot + 1) & mask;
        }
        byte[] bytes = encode(name);
        if (bytes == null) {
            return Integer.MIN_VALUE;
        }
        if (bytes.length > maxLength) {
            return -1 - bytes.length;
        }
        int id = oldCount > 0 ? findOld(bytes, oldCount) : -1;
        slotGlobal[slot] = cached;
        if (id < 0) {
            id = add(bytes, 0, bytes.length);
            global[id] = cached;
        }
        keys[slot] = name;
        utf8[slot] = bytes;
        docId[slot] = id;
        gen[slot] = generation;
        if (++cached * 2 > keys.length) {
            rehash();
        }
        return id;
    }

    private static byte[] encode(String name) {
        byte[] tmp = new byte[name.length() * 3];
        long r = Utf8.encode(name, tmp, 0);
        if (r == Utf8.UNPAIRED_SURROGATE) {
            return null;
        }
        return Arrays.copyOf(tmp, (int) r);
    }

    private int findOld(byte[] bytes, int oldCount) {
        for (int id = 0; id < oldCount; id++) {
            if (length[id] == bytes.length
                    && Arrays.equals(data, start[id], start[id] + length[id], bytes, 0, bytes.length)) {
                return id;
            }
        }
        return -1;
    }

    private void rehash() {
        String[] oldKeys = keys;
        byte[][] oldUtf8 = utf8;
        int[] oldId = docId;
        int[] oldGen = gen;
        int[] oldGlobal = slotGlobal;
        int n = oldKeys.length * 2;
        keys = new String[n];
        utf8 = new byte[n][];
        docId = new int[n];
        gen = new int[n];
        slotGlobal = new int[n];
        int mask = n - 1;
        for (int i = 0; i < oldKeys.length; i++) {
            String k = oldKeys[i];
            if (k != null) {
                int h = k.hashCode() * 0x9E3779B9;
                int slot = (h ^ (h >>> 16)) & mask;
                while (keys[slot] != null) {
                    slot = (slot + 1) & mask;
                }
                keys[slot] = k;
                utf8[slot] = oldUtf8[i];
                docId[slot] = oldId[i];
                gen[slot] = oldGen[i];
                slotGlobal[slot] = oldGlobal[i];
            }
        }
    }

    /** Appends a name to the current document's table and returns its id. */
    int add(byte[] src, int off, int len) {
        if (count == start.length) {
            int n = count * 2;
            start = Arrays.copyOf(start, n);
            length = Arrays.copyOf(length, n);
            prefix = Arrays.copyOf(prefix, n);
            global = Arrays.copyOf(global, n);
        }
        if (dataLength + len > data.length) {
            data = Arrays.copyOf(data, Math.max(data.length * 2, dataLength + len));
        }
        global[count] = -1;
        System.arraycopy(src, off, data, dataLength, len);
        start[count] = dataLength;
        length[count] = len;
        prefix[count] = prefixOf(data, dataLength, len);
        dataLength += len;
        return count++;
    }

    /** Loads the name table of an existing document (ids kept) so a copy can reference its names. */
    void load(MemorySegment s, long namesData, long offsetsAt, int width, int nameCount) {
        for (int id = 0; id < nameCount; id++) {
            int from = Bytes.uint(s, offsetsAt + (long) id * width, width);
            int to = Bytes.uint(s, offsetsAt + (long) (id + 1) * width, width);
            int len = to - from;
            if (dataLength + len > data.length) {
                data = Arrays.copyOf(data, Math.max(data.length * 2, dataLength + len));
            }
            MemorySegment.copy(s, java.lang.foreign.ValueLayout.JAVA_BYTE, namesData + from, data, dataLength, len);
            byte[] tmp = data;
            if (count == start.length) {
                int n = count * 2;
                start = Arrays.copyOf(start, n);
                length = Arrays.copyOf(length, n);
                prefix = Arrays.copyOf(prefix, n);
                global = Arrays.copyOf(global, n);
            }
            global[count] = -1;
            start[count] = dataLength;
            length[count] = len;
            prefix[count] = prefixOf(tmp, dataLength, len);
            dataLength += len;
            count++;
        }
    }

    private static long prefixOf(byte[] b, int off, int len) {
        long p = 0;
        int n = Math.min(len, 8);
        for (int i = 0; i < n; i++) {
            p |= (b[off + i] & 0xFFL) << (56 - 8 * i);
        }
        return p;
    }

    /** Unsigned lexicographic comparison of two names by id (FORMAT.md §6 order). */
    int compare(int a, int b) {
        if (a == b) {
            return 0;
        }
        int c = Long.compareUnsigned(prefix[a], prefix[b]);
        if (c != 0) {
            return c;
        }
        return Arrays.compareUnsigned(data, start[a], start[a] + length[a], data, start[b], start[b] + length[b]);
    }
}

package dev.blitdb.bench.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.Stream;

/**
 * One key-value engine under test. Both implementations get the same keys (big-endian ints or zero-padded decimal
 * strings, so byte order = numeric order), the same value bytes, and touch the same 8 bytes of every value read.
 */
interface KvPeer extends AutoCloseable {

    /** Loads keys 0..n-1 in order, in one transaction, without syncing (setup for the read benchmarks). */
    void load(int n, int keySize, byte[] value) throws Exception;

    /** Reads every key in {@code order} inside one read transaction; returns a checksum of what it read. */
    long readAll(int[] order, int keySize);

    /** Walks every entry in key order in one read transaction; returns a checksum. */
    long scan();

    /** Inserts the keys in {@code order}, committing durably every {@code batch} keys. */
    void insertDurable(int[] order, int keySize, byte[] value, int batch) throws Exception;

    @Override
    void close() throws Exception;

    static KvPeer open(String engine, Path dir) throws Exception {
        return switch (engine) {
            case "blitdb" -> new BlitKv(dir);
            case "lmdb" -> new LmdbKv(dir);
            default -> throw new IllegalArgumentException("unknown engine " + engine);
        };
    }

    static void writeKey(ByteBuffer into, int key, int keySize) {
        if (keySize == 4) {
            into.putInt(0, key);
        } else {
            // "%016d" without allocating: 16 ASCII digits, zero-padded.
            int v = key;
            for (int i = 15; i >= 0; i--) {
                into.put(i, (byte) ('0' + v % 10));
                v /= 10;
            }
        }
    }

    static byte[][] stringKeys(int n) {
        byte[][] keys = new byte[n][];
        for (int i = 0; i < n; i++) {
            keys[i] = String.format("%016d", i).getBytes(StandardCharsets.US_ASCII);
        }
        return keys;
    }

    static byte[] value(int size) {
        byte[] v = new byte[size];
        new Random(size).nextBytes(v);
        return v;
    }

    static int[] shuffled(int n, long seed) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        Random r = new Random(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
        return a;
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}

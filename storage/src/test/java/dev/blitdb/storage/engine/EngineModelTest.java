package dev.blitdb.storage.engine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Random;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Seeded random operations against an in-memory sorted-map model: puts (values from empty to multi-page),
 * deletes, point reads, range scans both ways, commits, aborts, snapshots held across many commits (half of them
 * in reused read transactions, reopened again and again, also on the reopened store), reopens.
 */
class EngineModelTest {

    private static final String[] TREES = {"a", "b", "docs/etag"};

    @TempDir
    Path dir;

    private static NavigableMap<byte[], byte[]> newTree() {
        return new TreeMap<>(Arrays::compareUnsigned);
    }

    private static Map<String, NavigableMap<byte[], byte[]>> copy(Map<String, NavigableMap<byte[], byte[]>> m) {
        Map<String, NavigableMap<byte[], byte[]>> c = new HashMap<>();
        m.forEach((k, v) -> {
            NavigableMap<byte[], byte[]> t = newTree();
            t.putAll(v);
            c.put(k, t);
        });
        return c;
    }

    private record Held(ReadTxn txn, Map<String, NavigableMap<byte[], byte[]>> model, int closeAfter,
                        boolean reused) {
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void shouldMatchTheModelForThousandsOfRandomOperations(long seed) throws Exception {
        Random rnd = new Random(seed);
        StoreOptions options = StoreOptions.defaults().withMinGrowth(1 << 20)
                .withDurability(seed == 1 ? Durability.SYNC : Durability.NO_SYNC);
        Store store = Store.open(dir, options);
        Map<String, NavigableMap<byte[], byte[]>> committed = new HashMap<>();
        for (String t : TREES) {
            committed.put(t, newTree());
        }
        Deque<Held> held = new ArrayDeque<>();
        Deque<ReadTxn> spare = new ArrayDeque<>(); // closed reusable transactions, reopened (on any store) later
        int ops = 0;
        int commits = 0;
        try {
            while (ops < 4000) {
                Map<String, NavigableMap<byte[], byte[]>> working = copy(committed);
                try (WriteTxn w = store.beginWrite()) {
                    int n = 1 + rnd.nextInt(rnd.nextInt(10) == 0 ? 200 : 12);
                    for (int i = 0; i < n; i++, ops++) {
                        step(rnd, w, working);
                    }
                    if (rnd.nextInt(5) == 0) {
                        w.abort();
                    } else {
                        w.commit();
                        committed = working;
                        commits++;
                    }
                }
                if (rnd.nextInt(8) == 0 && held.size() < 6) {
                    boolean reuse = rnd.nextBoolean();
                    ReadTxn txn = !reuse ? store.beginRead()
                            : (spare.isEmpty() ? ReadTxn.reusable() : spare.pop()).reopen(store);
                    held.add(new Held(txn, copy(committed), commits + 1 + rnd.nextInt(40), reuse));
                }
                for (var it = held.iterator(); it.hasNext(); ) {
                    Held h = it.next();
                    if (rnd.nextInt(10) == 0 || h.closeAfter <= commits) {
                        checkAll(h.txn, h.model);
                    }
                    if (h.closeAfter <= commits) {
                        h.txn.close();
                        it.remove();
                        if (h.reused) {
                            spare.push(h.txn);
                        }
                    }
                }
                if (rnd.nextInt(60) == 0) {
                    for (Held h : held) {
                        h.txn.close();
                        if (h.reused) {
                            spare.push(h.txn);
                        }
                    }
                    held.clear();
                    store.close();
                    store = Store.open(dir, options);
                    try (ReadTxn r = store.beginRead()) {
                        checkAll(r, committed);
                    }
                    store.verify();
                }
            }
            try (ReadTxn r = store.beginRead()) {
                checkAll(r, committed);
            }
            store.verify();
            for (Held h : held) {
                h.txn.close();
            }
            StoreStats stats = store.stats();
            assertEquals(0, stats.openReaders());
            assertTrue(stats.usedPages() > 2, stats.toString());
        } finally {
            store.close();
        }
    }

    private static byte[] randomKey(Random rnd) {
        int len = switch (rnd.nextInt(20)) {
            case 0 -> 1 + rnd.nextInt(Limits.MAX_KEY);
            case 1, 2 -> 1;
            default -> 1 + rnd.nextInt(24);
        };
        byte[] k = new byte[len];
        for (int i = 0; i < len; i++) {
            k[i] = (byte) (rnd.nextInt(6) == 0 ? rnd.nextInt(256) : 'a' + rnd.nextInt(4));
        }
        return k;
    }

    private static byte[] randomValue(Random rnd) {
        int len = switch (rnd.nextInt(30)) {
            case 0 -> 0;
            case 1, 2 -> 1900 + rnd.nextInt(300);             // around the inline limit
            case 3, 4 -> 4000 + rnd.nextInt(40_000);          // overflow, several pages
            case 5 -> 200_000 + rnd.nextInt(100_000);         // long overflow run
            default -> 1 + rnd.nextInt(300);
        };
        byte[] v = new byte[len];
        rnd.nextBytes(v);
        return v;
    }

    private static void step(Random rnd, WriteTxn w, Map<String, NavigableMap<byte[], byte[]>> model) {
        String tree = TREES[rnd.nextInt(TREES.length)];
        NavigableMap<byte[], byte[]> t = model.get(tree);
        int op = rnd.nextInt(100);
        if (op < 55) {
            byte[] k = randomKey(rnd);
            byte[] v = randomValue(rnd);
            w.put(tree, k, v);
            t.put(k, v);
        } else if (op < 75) {
            byte[] k = !t.isEmpty() && rnd.nextBoolean() ? pick(rnd, t) : randomKey(rnd);
            assertEquals(t.remove(k) != null, w.delete(tree, k));
        } else if (op < 90) {
            byte[] k = !t.isEmpty() && rnd.nextBoolean() ? pick(rnd, t) : randomKey(rnd);
            checkGet(w, tree, k, t.get(k));
        } else {
            checkScan(rnd, w, tree, t);
        }
    }

    private static byte[] pick(Random rnd, NavigableMap<byte[], byte[]> t) {
        byte[] probe = randomKey(rnd);
        byte[] k = t.ceilingKey(probe);
        return k != null ? k : t.firstKey();
    }

    private static void checkGet(Txn txn, String tree, byte[] k, byte[] expected) {
        MemorySegment v = txn.get(tree, k);
        if (expected == null) {
            assertNull(v);
        } else {
            assertArrayEquals(expected, v.toArray(ValueLayout.JAVA_BYTE));
        }
    }

    private static void checkScan(Random rnd, Txn txn, String tree, NavigableMap<byte[], byte[]> t) {
        byte[] from = randomKey(rnd);
        Cursor c = txn.cursor(tree);
        List<byte[]> expected = new ArrayList<>(t.tailMap(from, true).keySet());
        c.seek(from);
        for (int i = 0; i < Math.min(expected.size(), 50); i++) {
            assertTrue(c.valid());
            assertArrayEquals(expected.get(i), c.keyBytes());
            assertArrayEquals(t.get(expected.get(i)), c.value().toArray(ValueLayout.JAVA_BYTE));
            c.next();
        }
        if (expected.size() <= 50) {
            assertFalse(c.valid());
        }
        List<byte[]> backwards = new ArrayList<>(t.headMap(from, false).descendingKeySet());
        c.seek(from);
        if (c.valid()) {
            c.prev();
        } else {
            c.last();
        }
        for (int i = 0; i < Math.min(backwards.size(), 20); i++) {
            assertTrue(c.valid());
            assertArrayEquals(backwards.get(i), c.keyBytes());
            c.prev();
        }
    }

    private static void checkAll(Txn txn, Map<String, NavigableMap<byte[], byte[]>> model) {
        for (String tree : TREES) {
            NavigableMap<byte[], byte[]> t = model.get(tree);
            assertEquals(t.size(), txn.count(tree), "count of " + tree);
            Cursor c = txn.cursor(tree);
            c.first();
            for (Map.Entry<byte[], byte[]> e : t.entrySet()) {
                assertTrue(c.valid());
                assertArrayEquals(e.getKey(), c.keyBytes());
                assertArrayEquals(e.getValue(), c.value().toArray(ValueLayout.JAVA_BYTE));
                c.next();
            }
            assertFalse(c.valid());
        }
    }

    @Test
    void shouldDropAndRecreateTreesAndListThem() throws Exception {
        try (Store store = Store.open(dir, StoreOptions.defaults().withMinGrowth(1 << 20))) {
            try (WriteTxn w = store.beginWrite()) {
                for (int i = 0; i < 2000; i++) {
                    w.put("x", ("k" + i).getBytes(), new byte[100]);
                }
                w.put("y", "k".getBytes(), "v".getBytes());
                w.commit();
            }
            try (WriteTxn w = store.beginWrite()) {
                assertTrue(w.dropTree("x"));
                assertFalse(w.hasTree("x"));
                w.put("x", "again".getBytes(), "1".getBytes());
                w.commit();
            }
            try (ReadTxn r = store.beginRead()) {
                assertEquals(List.of("x", "y"), r.treeNames());
                assertEquals(1, r.count("x"));
            }
            store.verify();
        }
    }
}

package dev.blitdb.storage.engine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.ValueLayout;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The compacting snapshot copy: a copy taken while writes go on holds exactly the snapshot's trees, keys and values
 * (inline and multi-page), opens as a working store, passes {@link Store#verify()} and has no free pages; an
 * incremental pass writes only what changed.
 */
class SnapshotCopyTest {

    private static final String[] TREES = {"docs", "etags", "small"};

    @TempDir
    Path dir;

    /** Every tree of the snapshot as tree → (hex key → hex value); the tests compare these dumps. */
    private static TreeMap<String, TreeMap<String, String>> dump(Txn txn) {
        var out = new TreeMap<String, TreeMap<String, String>>();
        HexFormat hex = HexFormat.of();
        for (String tree : txn.treeNames()) {
            var entries = new TreeMap<String, String>();
            Cursor c = txn.cursor(tree);
            for (boolean ok = c.first(); ok; ok = c.next()) {
                entries.put(hex.formatHex(c.keyBytes()), hex.formatHex(c.value().toArray(ValueLayout.JAVA_BYTE)));
            }
            assertEquals(txn.count(tree), entries.size(), "entry count of " + tree);
            out.put(tree, entries);
        }
        return out;
    }

    private static byte[] value(Random rnd) {
        int kind = rnd.nextInt(10);
        int len = kind < 6 ? rnd.nextInt(200) : kind < 9 ? 2000 + rnd.nextInt(9000) : rnd.nextInt(40_000);
        if (rnd.nextInt(400) == 0) {
            len = (1 << 20) + rnd.nextInt(1 << 20); // a run the copy writes straight from the mapping
        }
        byte[] v = new byte[len];
        rnd.nextBytes(v);
        return v;
    }

    private static void randomBatch(Store store, Random rnd, int ops) {
        try (WriteTxn w = store.beginWrite()) {
            for (int i = 0; i < ops; i++) {
                String tree = TREES[rnd.nextInt(TREES.length)];
                byte[] key = ("k" + rnd.nextInt(3000)).getBytes();
                if (rnd.nextInt(4) == 0) {
                    w.delete(tree, key);
                } else {
                    w.put(tree, key, value(rnd));
                }
            }
            w.commit();
        }
    }

    private static StoreOptions options() {
        return StoreOptions.defaults().withMinGrowth(1 << 20).withDurability(Durability.NO_SYNC);
    }

    @ParameterizedTest
    @ValueSource(longs = {7, 8})
    void shouldCopyExactlyTheSnapshotWhileWritesGoOn(long seed) throws Exception {
        Random rnd = new Random(seed);
        Path source = dir.resolve("source");
        Path target = dir.resolve("copy");
        Files.createDirectories(target);
        TreeMap<String, TreeMap<String, String>> expected;
        Store store = Store.open(source, options());
        try {
            for (int i = 0; i < 60; i++) {
                randomBatch(store, rnd, 50);
            }
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong commitsDuringCopy = new AtomicLong();
            Thread writer = Thread.ofPlatform().start(() -> {
                Random w = new Random(seed * 31);
                while (!stop.get()) {
                    randomBatch(store, w, 20);
                    commitsDuringCopy.incrementAndGet();
                }
            });
            SnapshotCopy.Result result;
            try (ReadTxn snapshot = store.beginRead()) {
                while (commitsDuringCopy.get() < 3) {
                    Thread.onSpinWait();
                }
                long before = commitsDuringCopy.get();
                result = SnapshotCopy.copyTo(snapshot, target.resolve("data.blit"), SnapshotCopy.Listener.NONE);
                while (commitsDuringCopy.get() < before + 3) {
                    Thread.onSpinWait(); // the copy must not have stopped the writer
                }
                expected = dump(snapshot);
                assertEquals(snapshot.id(), result.txnId());
            } finally {
                stop.set(true);
                writer.join();
            }
            assertTrue(Files.size(target.resolve("data.blit")) < Files.size(source.resolve("data.blit")));
            assertEquals(result.bytes(), Files.size(target.resolve("data.blit")));
        } finally {
            store.close();
        }
        try (Store copy = Store.open(target, options())) {
            copy.verify();
            assertEquals(0, copy.stats().freePages(), "a compacting copy has no free pages");
            try (ReadTxn r = copy.beginRead()) {
                assertEquals(expected, dump(r));
            }
            randomBatch(copy, rnd, 200); // the copy is a working store
            copy.verify();
        }
        try (Store again = Store.open(target, options())) {
            again.verify();
        }
    }

    @Test
    void shouldStreamTheSameBytesAsTheFileCopy() throws Exception {
        Random rnd = new Random(3);
        try (Store store = Store.open(dir.resolve("s"), options())) {
            for (int i = 0; i < 20; i++) {
                randomBatch(store, rnd, 40);
            }
            try (ReadTxn r = store.beginRead()) {
                var bytes = new ByteArrayOutputStream();
                List<Long> progress = new ArrayList<>();
                SnapshotCopy.Result streamed = SnapshotCopy.copy(r, Channels.newChannel(bytes),
                        (done, total) -> progress.add(done));
                Path file = dir.resolve("f.blit");
                SnapshotCopy.copyTo(r, file, SnapshotCopy.Listener.NONE);
                assertTrue(Arrays.equals(Files.readAllBytes(file), bytes.toByteArray()));
                assertEquals(streamed.pages() - 2, progress.getLast(), "the last progress call reports every page");
            }
        }
    }

    @Test
    void shouldCopyAnEmptyStore() throws Exception {
        Path target = dir.resolve("empty-copy");
        Files.createDirectories(target);
        try (Store store = Store.open(dir.resolve("empty"), options()); ReadTxn r = store.beginRead()) {
            assertEquals(2, SnapshotCopy.copyTo(r, target.resolve("data.blit"), SnapshotCopy.Listener.NONE).pages());
        }
        try (Store copy = Store.open(target, options())) {
            copy.verify();
            randomBatch(copy, new Random(1), 10);
            copy.verify();
        }
    }

    @Test
    void shouldCopyOnlyTheChangedPagesInALaterPass() throws Exception {
        Random rnd = new Random(11);
        Path target = dir.resolve("inc");
        Files.createDirectories(target);
        TreeMap<String, TreeMap<String, String>> expected;
        try (Store store = Store.open(dir.resolve("src"), options())) {
            for (int i = 0; i < 80; i++) {
                randomBatch(store, rnd, 50);
            }
            try (SnapshotCopy copy = SnapshotCopy.incremental(target.resolve("data.blit"))) {
                SnapshotCopy.Result first;
                try (ReadTxn r = store.beginRead()) {
                    first = copy.pass(r, SnapshotCopy.Listener.NONE);
                }
                randomBatch(store, rnd, 5);
                randomBatch(store, rnd, 5);
                SnapshotCopy.Result second;
                try (ReadTxn r = store.beginRead()) {
                    second = copy.pass(r, SnapshotCopy.Listener.NONE);
                    expected = dump(r);
                }
                assertTrue(second.copiedPages() * 5 < first.copiedPages(),
                        "second pass copied " + second.copiedPages() + " of " + first.copiedPages());
                try (ReadTxn r = store.beginRead()) {
                    assertEquals(0, copy.pass(r, SnapshotCopy.Listener.NONE).copiedPages(), "nothing changed");
                }
                copy.finish();
            }
        }
        try (Store copy = Store.open(target, options())) {
            copy.verify();
            try (ReadTxn r = copy.beginRead()) {
                assertEquals(expected, dump(r));
            }
        }
    }
}

package dev.blitdb.storage.engine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The checkpoint thread: checkpoints start by log size and by time while commits and reads go on, a crash after
 * them recovers everything, and a NO_SYNC store's freed pages come back once the background log sync made the
 * commits that freed them durable.
 */
class CheckpointTest {

    @TempDir
    Path dir;

    private static byte[] value(int i, int round) {
        byte[] v = new byte[i % 5 == 0 ? 6000 : 700];
        Arrays.fill(v, (byte) (i * 31 + round));
        return v;
    }

    private static void await(String what, java.util.function.BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!done.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting for " + what);
            Thread.sleep(10);
        }
    }

    @Test
    void shouldCheckpointInTheBackgroundAsTheLogGrowsWhileWritesAndReadsGoOn() throws Exception {
        Path s = dir.resolve("s");
        Path crashed = dir.resolve("crashed");
        int keys = 300;
        int rounds = 12;
        StoreOptions options = StoreOptions.defaults().withMinGrowth(1 << 20)
                .withCheckpoints(512 << 10, Duration.ZERO);
        try (Store store = Store.open(s, options)) {
            AtomicReference<Throwable> readerFailed = new AtomicReference<>();
            Thread reader = Thread.ofPlatform().start(() -> {
                try {
                    while (!Thread.currentThread().isInterrupted()) {
                        try (ReadTxn r = store.beginRead()) {
                            Cursor c = r.cursor("t");
                            for (boolean ok = c.first(); ok; ok = c.next()) {
                                byte[] v = c.value().toArray(ValueLayout.JAVA_BYTE);
                                if (v[0] != v[v.length - 1]) {
                                    throw new AssertionError("torn value under key " + new String(c.keyBytes()));
                                }
                            }
                        }
                    }
                } catch (StoreClosedException e) {
                    // closing ends it
                } catch (Throwable t) {
                    readerFailed.set(t);
                }
            });
            long generationAtStart = -1;
            for (int round = 0; round < rounds; round++) {
                for (int batch = 0; batch < keys; batch += 30) {
                    try (WriteTxn w = store.beginWrite()) {
                        for (int i = batch; i < batch + 30; i++) {
                            w.put("t", ("k" + i).getBytes(), value(i, round));
                        }
                        w.commit();
                    }
                }
                if (round == 0) {
                    generationAtStart = store.metaGeneration;
                }
            }
            long start = generationAtStart;
            await("background checkpoints", () -> store.metaGeneration >= start + 3);
            reader.interrupt();
            reader.join();
            assertNull(readerFailed.get());
            Files.createDirectories(crashed);
            for (String f : new String[]{Store.FILE_NAME, WriteAheadLog.NAMES[0], WriteAheadLog.NAMES[1]}) {
                if (Files.exists(s.resolve(f))) {
                    Files.copy(s.resolve(f), crashed.resolve(f));
                }
            }
        }
        try (Store store = Store.open(crashed, options)) {
            store.verify();
            try (ReadTxn r = store.beginRead()) {
                assertEquals(keys, r.count("t"));
                for (int i = 0; i < keys; i++) {
                    assertArrayEquals(value(i, rounds - 1), r.get("t", ("k" + i).getBytes())
                            .toArray(ValueLayout.JAVA_BYTE), "k" + i);
                }
            }
        }
    }

    @Test
    void shouldCheckpointByTimeAfterACommit() throws Exception {
        try (Store store = Store.open(dir, StoreOptions.defaults().withMinGrowth(1 << 20)
                .withCheckpoints(Long.MAX_VALUE, Duration.ofMillis(200)))) {
            try (WriteTxn w = store.beginWrite()) {
                w.put("t", "k".getBytes(), "v".getBytes());
                w.commit();
            }
            long gen = store.metaGeneration; // the first commit started the log
            await("a checkpoint by time", () -> store.metaGeneration > gen);
            long after = store.metaGeneration;
            Thread.sleep(600);
            assertEquals(after, store.metaGeneration, "checkpoints without commits in between");
        }
    }

    @Test
    void noSyncCommitsFreePagesOnceTheBackgroundSyncMadeThemDurable() throws Exception {
        try (Store store = Store.open(dir, StoreOptions.defaults().withMinGrowth(1 << 20)
                .withDurability(Durability.NO_SYNC).withCheckpoints(Long.MAX_VALUE, Duration.ofSeconds(60)))) {
            for (int round = 0; round < 5; round++) {
                try (WriteTxn w = store.beginWrite()) {
                    for (int i = 0; i < 200; i++) {
                        w.put("t", ("k" + i).getBytes(), new byte[300]);
                    }
                    w.commit();
                }
            }
            assertTrue(store.stats().pendingPages() > 20, store.stats().toString());
            await("the background log sync", () -> {
                try (WriteTxn w = store.beginWrite()) { // recycling happens as a write transaction begins
                    w.put("t", "k0".getBytes(), new byte[300]);
                    w.commit();
                }
                return store.stats().pendingPages() < 20;
            });
            assertTrue(store.durableTxn >= store.stats().lastTxnId() - 1, "durable " + store.durableTxn);
        }
    }
}

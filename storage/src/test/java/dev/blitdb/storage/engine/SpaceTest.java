package dev.blitdb.storage.engine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Disk full (injected), growth with remapping under open readers, and free-page reuse under churn. */
class SpaceTest {

    @TempDir
    Path dir;

    @Test
    void shouldFailTheWriteThatNeedsSpaceAndWorkAgainOnceSpaceReturns() throws Exception {
        AtomicBoolean diskFull = new AtomicBoolean();
        AtomicInteger growths = new AtomicInteger();
        SpaceAllocator standard = SpaceAllocator.standard();
        SpaceAllocator injected = (file, channel, offset, length) -> {
            if (diskFull.get()) {
                throw new IOException("injected: no space left on device");
            }
            growths.incrementAndGet();
            standard.allocate(file, channel, offset, length);
        };
        StoreOptions options = StoreOptions.defaults().withMinGrowth(1 << 20).withAllocator(injected);
        try (Store store = Store.open(dir, options)) {
            try (WriteTxn w = store.beginWrite()) {
                w.put("t", "before".getBytes(), "kept".getBytes());
                w.commit();
            }
            long size = Files.size(store.file());
            diskFull.set(true);
            try (WriteTxn w = store.beginWrite()) {
                w.put("t", "small".getBytes(), "fits".getBytes());
                StoreFullException e = assertThrows(StoreFullException.class,
                        () -> w.put("t", "huge".getBytes(), new byte[8 << 20]));
                assertTrue(e.getMessage().contains("injected: no space left"), e.getMessage());
                assertTrue(e.getMessage().contains("Free disk space"), e.getMessage());
                assertEquals(size, e.fileSize());
                // The failed put left no trace: the rest of the transaction commits.
                w.put("t", "after".getBytes(), "also fits".getBytes());
                w.commit();
            }
            assertEquals(size, Files.size(store.file()));
            try (ReadTxn r = store.beginRead()) {
                assertEquals(3, r.count("t"));
                assertArrayEquals("kept".getBytes(), r.get("t", "before".getBytes()).toArray(ValueLayout.JAVA_BYTE));
                assertEquals(null, r.get("t", "huge".getBytes()));
            }
            store.verify();
            diskFull.set(false);
            try (WriteTxn w = store.beginWrite()) {
                w.put("t", "huge".getBytes(), new byte[8 << 20]);
                w.commit();
            }
            assertTrue(Files.size(store.file()) > size);
            try (ReadTxn r = store.beginRead()) {
                assertEquals(8 << 20, r.get("t", "huge".getBytes()).byteSize());
            }
            store.verify();
        }
    }

    @Test
    void shouldKeepOldReadersWorkingAcrossGrowthAndRemapping() throws Exception {
        try (Store store = Store.open(dir, StoreOptions.defaults().withMinGrowth(1 << 20))) {
            try (WriteTxn w = store.beginWrite()) {
                w.put("t", "k".getBytes(), new byte[5000]);
                w.commit();
            }
            ReadTxn old = store.beginRead();
            var value = old.get("t", "k".getBytes());
            for (int round = 0; round < 5; round++) {
                try (WriteTxn w = store.beginWrite()) {
                    w.put("t", ("grow" + round).getBytes(), new byte[3 << 20]); // forces growth and a new mapping
                    w.commit();
                }
            }
            assertEquals(5000, value.byteSize());
            assertEquals(0, value.get(ValueLayout.JAVA_BYTE, 4999));
            assertEquals(1, old.count("t"));
            old.close();
            assertThrows(IllegalStateException.class, () -> value.get(ValueLayout.JAVA_BYTE, 0),
                    "the old mapping is released with its last reader");
        }
    }

    @Test
    void shouldStopGrowingUnderChurnOnceReadersLetGo() throws Exception {
        int docs = 3000;
        try (Store store = Store.open(dir, StoreOptions.defaults().withMinGrowth(1 << 20)
                .withDurability(Durability.NO_SYNC))) {
            long[] usedAfterRound = new long[12];
            for (int round = 0; round < usedAfterRound.length; round++) {
                for (int batch = 0; batch < docs; batch += 100) {
                    try (WriteTxn w = store.beginWrite()) {
                        for (int i = batch; i < batch + 100; i++) {
                            byte[] v = new byte[i % 7 == 0 ? 3000 : 400];
                            v[0] = (byte) round;
                            w.put("docs", String.format("users/%08d", i).getBytes(), v);
                        }
                        w.commit();
                    }
                }
                usedAfterRound[round] = store.stats().usedPages();
            }
            long live = 0;
            try (ReadTxn r = store.beginRead()) {
                var c = r.cursor("docs");
                for (c.first(); c.valid(); c.next()) {
                    live += c.keyLength() + c.value().byteSize();
                }
            }
            long used = usedAfterRound[usedAfterRound.length - 1];
            assertEquals(usedAfterRound[3], used, "the file kept growing: " + java.util.Arrays.toString(usedAfterRound));
            double ratio = (double) used * Limits.PAGE_SIZE / live;
            assertTrue(ratio <= 2.0, "used/live = " + ratio);
        }
    }

    @Test
    void shouldReportAPinningReaderAndRecyclePagesOnceItCloses() throws Exception {
        // Durable commits: a NO_SYNC commit's freed pages also wait for its log record to be synced (WalTest).
        try (Store store = Store.open(dir, StoreOptions.defaults().withMinGrowth(1 << 20))) {
            for (int i = 0; i < 200; i++) {
                try (WriteTxn w = store.beginWrite()) {
                    w.put("t", ("k" + i).getBytes(), new byte[300]);
                    w.commit();
                }
            }
            ReadTxn pinned = store.beginRead();
            for (int round = 0; round < 20; round++) {
                try (WriteTxn w = store.beginWrite()) {
                    for (int i = 0; i < 200; i++) {
                        w.put("t", ("k" + i).getBytes(), new byte[300]);
                    }
                    w.commit();
                }
            }
            StoreStats whilePinned = store.stats();
            assertEquals(1, whilePinned.openReaders());
            assertEquals(pinned.id(), whilePinned.oldestReaderTxnId());
            assertTrue(whilePinned.pendingPages() > 100, whilePinned.toString());
            pinned.close();
            try (WriteTxn w = store.beginWrite()) {
                w.put("t", "k0".getBytes(), new byte[300]);
                w.commit();
            }
            StoreStats after = store.stats();
            assertEquals(0, after.openReaders());
            assertEquals(-1, after.oldestReaderTxnId());
            assertTrue(after.pendingPages() < 20, after.toString());
            assertTrue(after.freePages() >= whilePinned.pendingPages() - 40, after + " vs " + whilePinned);
        }
    }
}

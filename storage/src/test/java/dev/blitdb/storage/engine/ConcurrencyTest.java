package dev.blitdb.storage.engine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One writer moves money between accounts and rewrites versioned blobs while readers check, in every snapshot,
 * that the total never changes, every blob carries the snapshot's version, and versions never go backwards.
 */
class ConcurrencyTest {

    private static final int ACCOUNTS = 200;
    private static final int BLOBS = 20;
    private static final long TOTAL = ACCOUNTS * 1000L;

    @TempDir
    Path dir;

    private static byte[] key(String prefix, int i) {
        return (prefix + i).getBytes();
    }

    private static byte[] longBytes(long v) {
        return ByteBuffer.allocate(8).putLong(v).array();
    }

    private static long readLong(MemorySegment s) {
        return s.get(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN), 0);
    }

    @Test
    void shouldShowReadersOnlyCommittedSelfConsistentStates() throws Exception {
        try (Store store = Store.open(dir, StoreOptions.defaults().withMinGrowth(1 << 20)
                .withDurability(Durability.NO_SYNC))) {
            try (WriteTxn w = store.beginWrite()) {
                for (int i = 0; i < ACCOUNTS; i++) {
                    w.put("acct", key("a", i), longBytes(1000));
                }
                w.put("meta", "version".getBytes(), longBytes(0));
                for (int b = 0; b < BLOBS; b++) {
                    w.put("blob", key("b", b), new byte[6000]);
                }
                w.commit();
            }
            AtomicBoolean stop = new AtomicBoolean();
            ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
            AtomicLong snapshotsChecked = new AtomicLong();
            List<Thread> readers = new ArrayList<>();
            for (int t = 0; t < 3; t++) {
                Thread reader = Thread.ofPlatform().name("reader-" + t).start(() -> {
                    long lastVersion = -1;
                    try {
                        while (!stop.get()) {
                            try (ReadTxn r = store.beginRead()) {
                                long version = readLong(r.get("meta", "version".getBytes()));
                                assertTrue(version >= lastVersion, "version went back: " + version + " < " + lastVersion);
                                lastVersion = version;
                                long sum = 0;
                                Cursor c = r.cursor("acct");
                                int n = 0;
                                for (c.first(); c.valid(); c.next()) {
                                    sum += readLong(c.value());
                                    n++;
                                }
                                assertEquals(ACCOUNTS, n);
                                assertEquals(TOTAL, sum, "total at version " + version);
                                for (int b = 0; b < BLOBS; b++) {
                                    MemorySegment blob = r.get("blob", key("b", b));
                                    byte expected = (byte) version;
                                    assertEquals(expected, blob.get(ValueLayout.JAVA_BYTE, 0));
                                    assertEquals(expected, blob.get(ValueLayout.JAVA_BYTE, blob.byteSize() - 1));
                                }
                                snapshotsChecked.incrementAndGet();
                            }
                        }
                    } catch (Throwable e) {
                        errors.add(e);
                    }
                });
                readers.add(reader);
            }
            Random rnd = new Random(7);
            long deadline = System.nanoTime() + 3_000_000_000L;
            long version = 0;
            while (System.nanoTime() < deadline && errors.isEmpty()) {
                version++;
                try (WriteTxn w = store.beginWrite()) {
                    for (int i = 0; i < 20; i++) {
                        int from = rnd.nextInt(ACCOUNTS);
                        int to = rnd.nextInt(ACCOUNTS);
                        long amount = rnd.nextInt(50);
                        long fromBalance = readLong(w.get("acct", key("a", from)));
                        w.put("acct", key("a", from), longBytes(fromBalance - amount));
                        long toBalance = readLong(w.get("acct", key("a", to)));
                        w.put("acct", key("a", to), longBytes(toBalance + amount));
                    }
                    for (int b = 0; b < BLOBS; b++) {
                        byte[] blob = new byte[4000 + rnd.nextInt(8000)];
                        java.util.Arrays.fill(blob, (byte) version);
                        w.put("blob", key("b", b), blob);
                    }
                    w.put("meta", "version".getBytes(), longBytes(version));
                    if (rnd.nextInt(10) == 0) {
                        w.abort();
                        version--;
                    } else {
                        w.commit();
                    }
                }
            }
            stop.set(true);
            for (Thread t : readers) {
                t.join();
            }
            if (!errors.isEmpty()) {
                throw new AssertionError(errors.peek());
            }
            assertTrue(snapshotsChecked.get() > 10, "readers checked " + snapshotsChecked.get() + " snapshots");
            assertTrue(version > 10, "writer committed " + version + " versions");
            store.verify();
        }
    }
}

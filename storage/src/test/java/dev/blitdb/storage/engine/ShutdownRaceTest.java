package dev.blitdb.storage.engine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link Store#beginRead()} racing with {@link Store#close()}: it returns a snapshot or throws, never spins. */
class ShutdownRaceTest {

    static final int ROUNDS = 2_000;

    @TempDir
    Path dir;

    @Test
    void beginReadRacingCloseEndsEveryTime() throws Exception {
        StoreOptions options = StoreOptions.defaults().withMinGrowth(16 * Limits.PAGE_SIZE);
        try (Store s = Store.open(dir, options); WriteTxn w = s.beginWrite()) {
            w.put("t", "k".getBytes(), "v".getBytes());
            w.commit();
        }
        int closedWhileReading = 0;
        for (int round = 0; round < ROUNDS; round++) {
            Store store = Store.open(dir, options);
            CountDownLatch started = new CountDownLatch(1);
            AtomicReference<Throwable> unexpected = new AtomicReference<>();
            int[] reads = new int[1];
            Thread reader = Thread.ofPlatform().start(() -> {
                started.countDown();
                try {
                    for (; ; ) {
                        try (ReadTxn r = store.beginRead()) {
                            reads[0]++;
                            r.id();
                        }
                    }
                } catch (StoreClosedException expected) {
                    // the only way out
                } catch (Throwable t) {
                    unexpected.set(t);
                }
            });
            started.await();
            if ((round & 1) == 1) {
                Thread.onSpinWait();
            }
            store.close();
            reader.join(TimeUnit.SECONDS.toMillis(10));
            assertTrue(!reader.isAlive(), "round " + round + ": beginRead still spinning after close()");
            assertNull(unexpected.get(), "round " + round);
            if (reads[0] > 0) {
                closedWhileReading++;
            }
        }
        assertTrue(closedWhileReading > 0, "the reader never got a snapshot before close: no race exercised");
    }
}

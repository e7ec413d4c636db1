package dev.blitdb.storage.merger;

import dev.blitdb.storage.engine.ReadTxn;
import dev.blitdb.storage.engine.Store;
import dev.blitdb.storage.engine.StoreOptions;
import dev.blitdb.storage.engine.TooLargeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TransactionMergerTest {

    @TempDir
    Path dir;

    private static WriteOperation<String> put(String key, int size) {
        return txn -> {
            txn.put("t", key.getBytes(), new byte[size]);
            return key;
        };
    }

    @Test
    void shouldMergeConcurrentWritersIntoFewDurableCommits() throws Exception {
        try (Store store = Store.open(dir, StoreOptions.defaults().withMinGrowth(1 << 20));
             TransactionMerger merger = new TransactionMerger(store)) {
            List<Thread> threads = new ArrayList<>();
            List<Throwable> errors = java.util.Collections.synchronizedList(new ArrayList<>());
            for (int t = 0; t < 16; t++) {
                int thread = t;
                threads.add(Thread.ofPlatform().start(() -> {
                    for (int i = 0; i < 100; i++) {
                        try {
                            String key = "k-" + thread + "-" + i;
                            assertEquals(key, merger.submit(put(key, 100), 100).get());
                        } catch (Throwable e) {
                            errors.add(e);
                        }
                    }
                }));
            }
            for (Thread t : threads) {
                t.join();
            }
            assertTrue(errors.isEmpty(), errors.toString());
            MergerStats stats = merger.stats();
            assertEquals(1600, stats.operations());
            assertTrue(stats.commits() < 1600 / 2, "expected merged commits, got " + stats);
            try (ReadTxn r = store.beginRead()) {
                assertEquals(1600, r.count("t"));
            }
        }
    }

    @Test
    void shouldFailABadOperationAloneAndCommitTheRestOfItsBatch() throws Exception {
        MergerOptions options = new MergerOptions(1000, 1L << 30, Duration.ofSeconds(30), 1000);
        try (Store store = Store.open(dir, StoreOptions.defaults().withMinGrowth(1 << 20));
             TransactionMerger merger = new TransactionMerger(store, options)) {
            CountDownLatch gate = new CountDownLatch(1);
            CompletableFuture<String> first = merger.submit(txn -> {
                try {
                    gate.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                txn.put("t", "first".getBytes(), "1".getBytes());
                return "first";
            });
            CompletableFuture<String> good1 = merger.submit(put("good1", 10));
            CompletableFuture<String> rejected = merger.submit(txn -> {
                throw new RejectedOperationException("conflict: expected A:1-x, found A:2-x");
            });
            CompletableFuture<String> tooLarge = merger.submit(put("x".repeat(5000), 10));
            CompletableFuture<String> unclean = merger.submit(txn -> {
                txn.put("t", "half-written".getBytes(), new byte[50_000]);
                throw new IllegalStateException("bug after a change");
            });
            CompletableFuture<String> good2 = merger.submit(put("good2", 20_000));
            gate.countDown();
            assertEquals("first", first.get());
            assertEquals("good1", good1.get());
            assertEquals("good2", good2.get());
            ExecutionException e1 = assertThrows(ExecutionException.class, rejected::get);
            assertInstanceOf(RejectedOperationException.class, e1.getCause());
            ExecutionException e2 = assertThrows(ExecutionException.class, tooLarge::get);
            assertInstanceOf(TooLargeException.class, e2.getCause());
            ExecutionException e3 = assertThrows(ExecutionException.class, unclean::get);
            assertInstanceOf(IllegalStateException.class, e3.getCause());
            MergerStats stats = merger.stats();
            assertEquals(1, stats.commits(), stats.toString());
            assertEquals(3, stats.operations());
            assertEquals(3, stats.rejected());
            assertEquals(1, stats.replays());
            try (ReadTxn r = store.beginRead()) {
                assertNotNull(r.get("t", "first".getBytes()));
                assertNotNull(r.get("t", "good1".getBytes()));
                assertNotNull(r.get("t", "good2".getBytes()));
                assertNull(r.get("t", "half-written".getBytes()));
                assertEquals(3, r.count("t"));
            }
            store.verify();
        }
    }

    @Test
    void shouldCommitWhatIsQueuedOnCloseAndRefuseLaterSubmissions() throws Exception {
        try (Store store = Store.open(dir, StoreOptions.defaults().withMinGrowth(1 << 20))) {
            TransactionMerger merger = new TransactionMerger(store);
            List<CompletableFuture<String>> futures = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                futures.add(merger.submit(put("k" + i, 10)));
            }
            merger.close();
            for (CompletableFuture<String> f : futures) {
                assertTrue(f.isDone() && !f.isCompletedExceptionally());
            }
            assertTrue(merger.submit(put("late", 1)).isCompletedExceptionally());
            try (ReadTxn r = store.beginRead()) {
                assertEquals(200, r.count("t"));
            }
        }
    }
}

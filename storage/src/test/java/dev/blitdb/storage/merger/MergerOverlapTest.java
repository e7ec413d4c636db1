package dev.blitdb.storage.merger;

import dev.blitdb.storage.engine.DiskSync;
import dev.blitdb.storage.engine.Store;
import dev.blitdb.storage.engine.StoreOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The merger applies batch N+1 while batch N syncs, and still acknowledges an operation only after the sync of
 * its own batch returned, with its own result.
 */
class MergerOverlapTest {

    @TempDir
    Path dir;

    @Test
    void appliesTheNextBatchWhileOneSyncsAndAcksOnlyAfterItsOwnSync() throws Exception {
        AtomicInteger syncing = new AtomicInteger();
        AtomicInteger appliedDuringSync = new AtomicInteger();
        AtomicBoolean submitting = new AtomicBoolean(true);
        AtomicLong syncsDone = new AtomicLong();
        DiskSync slow = new DiskSync() {
            @Override
            public void syncRange(MemorySegment map, long offset, long length) {
                syncing.incrementAndGet();
                try {
                    Thread.sleep(30);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                map.asSlice(offset, length).force();
                syncing.decrementAndGet();
                syncsDone.incrementAndGet();
            }

            @Override
            public void syncFile(FileChannel channel) throws IOException {
                channel.force(true);
            }

            @Override
            public void syncLog(java.nio.file.Path file, FileChannel channel) throws IOException {
                // A commit's one sync is the log's fdatasync: make it slow, as syncRange above (checkpoints). On a
                // loaded machine the submitting thread can be slower than a 30 ms sync, so a sync also lasts until
                // an operation was applied during one or the submissions are over: a merger that does not overlap
                // still never applies during a sync and fails the test, a slow submitter no longer does.
                syncing.incrementAndGet();
                try {
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                    do {
                        Thread.sleep(30);
                    } while (appliedDuringSync.get() == 0 && submitting.get() && System.nanoTime() < deadline);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                channel.force(false);
                syncing.decrementAndGet();
                syncsDone.incrementAndGet();
            }
        };
        AtomicInteger ackedEarly = new AtomicInteger();
        List<CompletableFuture<Integer>> futures = new ArrayList<>();
        try (Store store = Store.open(dir, StoreOptions.defaults().withMinGrowth(1 << 20).withDiskSync(slow))) {
            TransactionMerger merger = new TransactionMerger(store);
            for (int i = 0; i < 200; i++) {
                int n = i;
                long[] syncsAtApply = new long[1];
                CompletableFuture<Integer> f = merger.submit(txn -> {
                    if (syncing.get() > 0) {
                        appliedDuringSync.incrementAndGet();
                    }
                    syncsAtApply[0] = syncsDone.get();
                    txn.put("t", ("k" + n).getBytes(), new byte[100]);
                    return n;
                });
                futures.add(f.whenComplete((r, t) -> {
                    if (syncsDone.get() <= syncsAtApply[0]) {
                        ackedEarly.incrementAndGet(); // completed before any sync after its apply returned
                    }
                }));
                if (i % 10 == 0) {
                    Thread.sleep(3); // spread the submissions over several syncs
                }
            }
            submitting.set(false);
            for (int i = 0; i < futures.size(); i++) {
                assertEquals(i, futures.get(i).get(10, TimeUnit.SECONDS));
            }
            merger.close();
            assertEquals(0, ackedEarly.get(), "acknowledged before its batch was durable");
            assertTrue(appliedDuringSync.get() > 0, "no operation was applied while a batch synced");
            assertTrue(merger.stats().commits() < 200, "no merging: " + merger.stats());
        }
    }
}

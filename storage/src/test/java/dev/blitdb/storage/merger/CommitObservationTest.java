package dev.blitdb.storage.merger;

import dev.blitdb.storage.engine.PageCacheResidency;
import dev.blitdb.storage.engine.ReadTxn;
import dev.blitdb.storage.engine.Store;
import dev.blitdb.storage.nativeio.NativeIo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The hooks that /metrics reads: commit observers, queue depth, oldest reader age, page-cache residency. */
class CommitObservationTest {

    @TempDir
    Path dir;

    @Test
    void shouldReportEveryCommitToBothObservers() throws Exception {
        try (Store store = Store.open(dir); TransactionMerger merger = new TransactionMerger(store)) {
            AtomicLong bytes = new AtomicLong();
            AtomicLong syncs = new AtomicLong();
            AtomicLong commits = new AtomicLong();
            AtomicLong operations = new AtomicLong();
            store.observeCommits((b, syncNanos) -> {
                bytes.addAndGet(b);
                syncs.addAndGet(syncNanos);
            });
            merger.observe((ops, nanos) -> {
                commits.incrementAndGet();
                operations.addAndGet(ops);
                assertTrue(nanos > 0);
            });
            List<CompletableFuture<Void>> writes = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                byte[] key = ("k" + i).getBytes();
                writes.add(merger.submit(txn -> {
                    txn.put("t", key, new byte[300]);
                    return null;
                }));
            }
            CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).join();
            assertEquals(50, operations.get());
            assertEquals(merger.stats().commits(), commits.get());
            assertTrue(bytes.get() >= 50 * 300, "bytes written " + bytes.get());
            assertTrue(syncs.get() > 0, "default durability syncs");
            assertEquals(0, merger.queueDepth());
        }
    }

    @Test
    void shouldAgeTheOldestOpenReaderAndForgetItWhenClosed() throws Exception {
        try (Store store = Store.open(dir)) {
            assertEquals(0, store.oldestReaderSnapshotAgeNanos());
            try (ReadTxn r = store.beginRead()) {
                Thread.sleep(30);
                assertTrue(store.oldestReaderSnapshotAgeNanos() >= 30_000_000L);
            }
            assertEquals(0, store.oldestReaderSnapshotAgeNanos());
        }
    }

    @Test
    void shouldMeasureResidencyOfTheDataFileWithMincore() throws Exception {
        try (Store store = Store.open(dir)) {
            try (var w = store.beginWrite()) {
                for (int i = 0; i < 200; i++) {
                    w.put("t", ("k" + i).getBytes(), new byte[1000]);
                }
                w.commit();
            }
            if (!NativeIo.get().available()) {
                assertTrue(store.residency().isEmpty());
                return;
            }
            PageCacheResidency r = store.residency().orElseThrow();
            assertEquals(store.stats().fileBytes(), r.mappedBytes());
            // Just written through the mapping: those pages are in the cache.
            assertTrue(r.residentBytes() >= 200_000, "resident " + r.residentBytes());
            assertTrue(r.residentBytes() <= r.mappedBytes());
        }
    }
}

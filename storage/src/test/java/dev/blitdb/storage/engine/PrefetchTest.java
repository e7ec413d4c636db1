package dev.blitdb.storage.engine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PrefetchTest {

    @TempDir
    Path dir;

    @Test
    void shouldCountAdviceCallsForValuesPagesAndTheDefault() throws Exception {
        try (Store store = Store.open(dir, StoreOptions.defaults().withMinGrowth(1 << 20)
                .withDefaultAdvice(Advice.RANDOM))) {
            AdviceStats atOpen = store.adviceStats();
            assertEquals(1, atOpen.calls(), "the default advice is applied to the first mapping");
            try (WriteTxn w = store.beginWrite()) {
                w.put("t", "big".getBytes(), new byte[100_000]);
                w.put("t", "small".getBytes(), new byte[10]);
                w.commit();
            }
            try (ReadTxn r = store.beginRead()) {
                r.prefetch(r.get("t", "big".getBytes()));
                r.prefetch(r.get("t", "small".getBytes()));
            }
            AdviceStats after = store.adviceStats();
            assertEquals(3, after.calls());
            assertTrue(after.bytes() - atOpen.bytes() >= 100_000 + 4096, after.toString());
            store.prefetchPages(2, 10);
            store.adviseDefault(Advice.SEQUENTIAL);
            assertEquals(5, store.adviceStats().calls());
            assertEquals(0, store.adviceStats().failures());
        }
    }

    @Test
    void shouldMergeNeighbouringValuesIntoOneAdviceCall() throws Exception {
        try (Store store = Store.open(dir, StoreOptions.defaults().withMinGrowth(4 << 20))) {
            try (WriteTxn w = store.beginWrite()) {
                w.put("t", "a".getBytes(), new byte[100_000]);       // 25 pages
                w.put("t", "b".getBytes(), new byte[100_000]);       // right after a
                w.put("t", "filler".getBytes(), new byte[400_000]);  // 98 pages: far more than the merge gap
                w.put("t", "c".getBytes(), new byte[100_000]);
                w.commit();
            }
            try (ReadTxn r = store.beginRead()) {
                var a = r.get("t", "a".getBytes());
                var b = r.get("t", "b".getBytes());
                var c = r.get("t", "c".getBytes());
                long before = store.adviceStats().calls();
                long bytesBefore = store.adviceStats().bytes();
                r.prefetch(new java.lang.foreign.MemorySegment[] {b, a}, 2);
                assertEquals(before + 1, store.adviceStats().calls(), "neighbours, in any order: one call");
                assertTrue(store.adviceStats().bytes() - bytesBefore >= 200_000, store.adviceStats().toString());
                r.prefetch(new java.lang.foreign.MemorySegment[] {c, a, b}, 3);
                assertEquals(before + 3, store.adviceStats().calls(), "a far value: a second range");
                r.prefetch(new java.lang.foreign.MemorySegment[] {c}, 0);
                assertEquals(before + 3, store.adviceStats().calls(), "nothing to advise: no call");
            }
        }
    }
}

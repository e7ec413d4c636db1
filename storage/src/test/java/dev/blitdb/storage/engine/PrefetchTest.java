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
}

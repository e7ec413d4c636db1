package dev.blitdb.storage.engine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How full splits leave the pages of sequential runs: ids {@code docs/1 … docs/N} inserted in order are not
 * ascending as bytes ({@code docs/10} sorts before {@code docs/2}), so most inserts continue a run in the middle of
 * the tree. Such a run must fill its pages (four ~870-byte cells to a page), not leave them three-quarters full as
 * balanced splits do; every value reads back, and the store verifies.
 */
class SplitFillTest {

    @TempDir
    Path dir;

    private static byte[] key(int i) {
        return ("docs/" + i).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] value(int i) {
        byte[] v = new byte[850];
        Arrays.fill(v, (byte) i);
        v[0] = (byte) (i >>> 8);
        return v;
    }

    @Test
    void shouldFillThePagesOfSequentialRunsInsideTheTree() throws Exception {
        int n = 6000;
        try (Store store = Store.open(dir, StoreOptions.defaults().withMinGrowth(1 << 20))) {
            for (int from = 1; from <= n; from += 1500) { // several transactions, as a bulk load commits
                try (WriteTxn w = store.beginWrite()) {
                    for (int i = from; i < from + 1500; i++) {
                        w.put("t", key(i), value(i));
                    }
                    w.commit();
                }
            }
            // Two runs interleaved (a@1, b@1, a@2, b@2 …) and a few random overwrites: still correct.
            try (WriteTxn w = store.beginWrite()) {
                for (int i = 1; i <= 500; i++) {
                    w.put("t", ("a/" + i).getBytes(StandardCharsets.UTF_8), value(i));
                    w.put("t", ("b/" + i).getBytes(StandardCharsets.UTF_8), value(i + 1));
                }
                java.util.Random random = new java.util.Random(7);
                for (int k = 0; k < 300; k++) {
                    int i = 1 + random.nextInt(n);
                    w.put("t", key(i), value(i));
                }
                w.commit();
            }
            store.verify();
            try (ReadTxn r = store.beginRead()) {
                assertEquals(n + 1000, r.count("t"));
                for (int i = 1; i <= n; i++) {
                    assertArrayEquals(value(i), r.get("t", key(i)).toArray(ValueLayout.JAVA_BYTE), "docs/" + i);
                }
                for (int i = 1; i <= 500; i++) {
                    assertArrayEquals(value(i + 1), r.get("t", ("b/" + i).getBytes(StandardCharsets.UTF_8))
                            .toArray(ValueLayout.JAVA_BYTE));
                }
            }
        }
        // A fresh tree of only the run, to count its leaves: four cells fit a page, five do not.
        Path other = dir.resolve("run");
        try (Store store = Store.open(other, StoreOptions.defaults().withMinGrowth(1 << 20))) {
            for (int from = 1; from <= n; from += 1500) {
                try (WriteTxn w = store.beginWrite()) {
                    for (int i = from; i < from + 1500; i++) {
                        w.put("t", key(i), value(i));
                    }
                    w.commit();
                }
            }
            try (ReadTxn r = store.beginRead()) {
                long leaves = r.readCatalog("t").leafPages();
                // Full pages would be n / 4 = 1500; balanced splits of the runs left 2,221 (2.7 per page).
                assertTrue(leaves <= n / 4 * 11 / 10, "leaf pages of " + n + " sequential-run inserts: " + leaves);
            }
        }
    }
}

package dev.blitdb.storage.engine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link SpaceAllocator#zeroFilled()}: growth reserves and writes the new range; the store works on it. */
class ZeroFilledGrowthTest {

    @TempDir
    Path dir;

    @Test
    void growsWithWrittenZerosAndKeepsData() throws Exception {
        StoreOptions o = StoreOptions.defaults().withMinGrowth(16 * Limits.PAGE_SIZE)
                .withAllocator(SpaceAllocator.zeroFilled());
        try (Store s = Store.open(dir, o)) {
            for (int i = 0; i < 30; i++) {
                try (WriteTxn w = s.beginWrite()) {
                    w.put("t", ("k" + i).getBytes(), new byte[6000]);
                    w.commit();
                }
            }
            long size = Files.size(s.file());
            assertTrue(size >= s.stats().usedPages() * Limits.PAGE_SIZE && size > 16 * Limits.PAGE_SIZE, "" + size);
        }
        try (Store s = Store.open(dir, o); ReadTxn r = s.beginRead()) {
            assertEquals(30, r.count("t"));
            s.verify();
        }
    }
}

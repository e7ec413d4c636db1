package dev.blitdb.blittable;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;

import net.jpountz.lz4.LZ4Factory;
import org.junit.jupiter.api.Test;

/** Our compressor's blocks must decode with lz4-java's (reference-compatible) safe decompressor. */
class Lz4BlockTest {

    @Test
    void shouldDecodeWithLz4JavaWhenCompressingManyShapes() {
        Lz4Block lz4 = new Lz4Block();
        SplittableRandom random = new SplittableRandom(42);
        int compressedCount = 0;
        for (int round = 0; round < 3000; round++) {
            int len = random.nextInt(0, round % 10 == 0 ? 70000 : 2000);
            byte[] src = new byte[len + 7];
            int alphabet = 1 + random.nextInt(round % 3 == 0 ? 255 : 6);
            int period = 1 + random.nextInt(300);
            for (int i = 0; i < src.length; i++) {
                src[i] = (byte) (random.nextInt(4) == 0 || i < period ? random.nextInt(alphabet) : src[i - period]);
            }
            byte[] dst = new byte[len + len / 255 + 16];
            int clen = lz4.compress(src, 3, len, dst, 9);
            if (clen < 0) {
                continue;
            }
            compressedCount++;
            assertTrue(clen <= len - 9, clen + " for " + len);
            byte[] back = new byte[len];
            int n = LZ4Factory.safeInstance().safeDecompressor().decompress(dst, 0, clen, back, 0, len);
            assertEquals(len, n);
            assertArrayEquals(Arrays.copyOfRange(src, 3, 3 + len), back, "round " + round);
        }
        assertTrue(compressedCount > 1000, "only " + compressedCount + " inputs compressed");
    }

    @Test
    void shouldGiveUpWhenDataDoesNotCompress() {
        byte[] src = new byte[1000];
        new SplittableRandom(1).nextBytes(src);
        assertEquals(-1, new Lz4Block().compress(src, 0, src.length, new byte[1100], 9));
        assertEquals(-1, new Lz4Block().compress(src, 0, 5, new byte[100], 9));
    }
}

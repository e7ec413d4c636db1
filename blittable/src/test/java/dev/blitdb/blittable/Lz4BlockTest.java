package dev.blitdb.blittable;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.SplittableRandom;

import net.jpountz.lz4.LZ4Factory;
import org.junit.jupiter.api.Test;

/**
 * Our compressor's blocks must decode with lz4-java's (reference-compatible) safe decompressor, keep the block
 * rules, respect the saving asked for, and be byte for byte the same from the heap and from a segment.
 */
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

    /** Decodes {@code block} with lz4-java and checks it gives back {@code src[off, off + len)}. */
    private static void assertDecodes(byte[] src, int off, int len, byte[] block, int clen, String what) {
        byte[] back = new byte[len];
        int n = LZ4Factory.safeInstance().safeDecompressor().decompress(block, 0, clen, back, 0, len);
        assertEquals(len, n, what);
        assertArrayEquals(Arrays.copyOfRange(src, off, off + len), back, what);
    }

    /** The LZ4 block rules a reference decoder relies on: the last 5 bytes are literals, no match starts in the last 12. */
    private static void assertBlockRules(byte[] block, int clen, int len, String what) {
        int p = 0;
        int out = 0;
        while (true) {
            int token = block[p++] & 0xFF;
            int literals = token >>> 4;
            if (literals == 15) {
                int b;
                do {
                    b = block[p++] & 0xFF;
                    literals += b;
                } while (b == 255);
            }
            p += literals;
            out += literals;
            if (p == clen) {
                assertEquals(len, out, what);
                assertTrue(len < 13 || literals >= 5, what + ": the block ends with " + literals + " literals");
                return;
            }
            int distance = (block[p] & 0xFF) | (block[p + 1] & 0xFF) << 8;
            p += 2;
            assertTrue(distance >= 1 && distance <= out, what + ": distance " + distance + " at " + out);
            assertTrue(out <= len - 12, what + ": a match starts at " + out + " of " + len);
            int match = (token & 15) + 4;
            if ((token & 15) == 15) {
                int b;
                do {
                    b = block[p++] & 0xFF;
                    match += b;
                } while (b == 255);
            }
            out += match;
            assertTrue(out <= len - 5, what + ": a match ends at " + out + " of " + len);
        }
    }

    /** Every length from 0 to 300 (and around 64 KiB), for repetitive, text-like and incompressible input. */
    @Test
    void shouldKeepTheBlockRulesAtEveryLengthBoundary() {
        Lz4Block lz4 = new Lz4Block();
        SplittableRandom random = new SplittableRandom(3);
        int[] extra = {65_530, 65_535, 65_536, 65_537, 65_547, 70_000};
        int compressed = 0;
        for (int shape = 0; shape < 3; shape++) {
            for (int k = 0; k <= 300 + extra.length; k++) {
                int len = k <= 300 ? k : extra[k - 301];
                byte[] src = new byte[len + 4];
                for (int i = 0; i < src.length; i++) {
                    src[i] = switch (shape) {
                        case 0 -> (byte) 'x';
                        case 1 -> (byte) "abcdefgh ijk lmnop ".charAt((i * 7 + i / 19) % 19);
                        default -> (byte) random.nextInt(256);
                    };
                }
                for (int minSaving : new int[] {1, 9}) {
                    byte[] dst = new byte[len + len / 255 + 16];
                    int clen = lz4.compress(src, 2, len, dst, minSaving);
                    String what = "shape " + shape + ", length " + len + ", saving " + minSaving;
                    if (clen < 0) {
                        assertTrue(shape == 2 || len < (shape == 0 ? 24 : 100), what + " did not compress");
                        continue;
                    }
                    compressed++;
                    assertTrue(clen <= len - minSaving, what + ": " + clen);
                    assertDecodes(src, 2, len, dst, clen, what);
                    assertBlockRules(dst, clen, len, what);
                }
            }
        }
        assertTrue(compressed > 1000, "only " + compressed + " compressed");
    }

    /** The segment variant (spill space) makes the same decisions as the heap one, call after call. */
    @Test
    void shouldWriteTheSameBytesFromASegmentAsFromTheHeap() {
        Lz4Block heap = new Lz4Block();
        Lz4Block segment = new Lz4Block();
        SplittableRandom random = new SplittableRandom(11);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment space = arena.allocate(300_000);
            for (int round = 0; round < 1500; round++) {
                int len = random.nextInt(0, round % 50 == 0 ? 90_000 : 3000);
                byte[] src = new byte[len + 5];
                int alphabet = 1 + random.nextInt(round % 4 == 0 ? 255 : 8);
                int period = 1 + random.nextInt(400);
                for (int i = 0; i < src.length; i++) {
                    src[i] = (byte) (random.nextInt(5) == 0 || i < period ? random.nextInt(alphabet) : src[i - period]);
                }
                int minSaving = 1 + random.nextInt(12);
                byte[] dst = new byte[len + len / 255 + 16];
                int clen = heap.compress(src, 5, len, dst, minSaving);
                long off = random.nextInt(1, 64);
                MemorySegment.copy(src, 5, space, ValueLayout.JAVA_BYTE, off, len);
                long at = off + len + random.nextInt(0, 9);
                int slen = segment.compress(space, off, len, space, at, minSaving);
                assertEquals(clen, slen, "round " + round);
                if (clen > 0) {
                    byte[] fromSegment = new byte[slen];
                    MemorySegment.copy(space, ValueLayout.JAVA_BYTE, at, fromSegment, 0, slen);
                    assertArrayEquals(Arrays.copyOf(dst, clen), fromSegment, "round " + round);
                    assertDecodes(src, 5, len, dst, clen, "round " + round);
                }
            }
        }
    }

    /**
     * The table is never cleared between calls (old entries are told apart by an epoch): tens of thousands of
     * calls run the epoch past its wrap-around, and no match may ever point into an earlier call's input.
     */
    @Test
    void shouldNeverMatchIntoAnEarlierInputAcrossTheEpochWrapAround() {
        Lz4Block lz4 = new Lz4Block();
        byte[] earlier = ("the quick brown fox jumps over the lazy dog ").repeat(4).getBytes();
        byte[] fresh = new byte[180];
        SplittableRandom random = new SplittableRandom(5);
        byte[] dst = new byte[earlier.length + 64];
        for (int call = 0; call < 40_000; call++) {
            int clen = lz4.compress(earlier, 0, earlier.length, dst, 9);
            assertTrue(clen > 0, "call " + call);
            if (call % 97 == 0) {
                assertDecodes(earlier, 0, earlier.length, dst, clen, "call " + call);
            }
            // Same-hash candidates from the previous call must not count: random bytes stay incompressible.
            random.nextBytes(fresh);
            assertEquals(-1, lz4.compress(fresh, 0, fresh.length, dst, 9), "call " + call);
        }
    }
}

package dev.blitdb.blittable;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.SplittableRandom;

import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;
import org.junit.jupiter.api.Test;

/**
 * decode(encode(x)) == x through every way out of {@link Lz4Decoder} (exact array, array with scratch room, stream
 * through the window), for blocks from our compressor, from lz4-java's, and hand-built ones that walk every match
 * offset 1..64 and lengths across every boundary the decoder has; malformed blocks fail as corrupt, never read past
 * the segment (blocks sit in exactly-sized segments) and never write past the caller's limit.
 */
class Lz4DecoderTest {
    private static final byte SENTINEL = (byte) 0xA5;

    @Test
    void shouldRoundTripOurCompressorsBlocks() throws IOException {
        Lz4Block lz4 = new Lz4Block();
        SplittableRandom random = new SplittableRandom(7);
        int compressed = 0;
        for (int round = 0; round < 2000; round++) {
            int len = random.nextInt(0, round % 50 == 0 ? 200_000 : 3000);
            byte[] src = repetitive(random, len);
            byte[] block = new byte[len + len / 255 + 16];
            int clen = lz4.compress(src, 0, len, block, 1);
            if (clen < 0) {
                continue;
            }
            compressed++;
            assertDecodes(src, Arrays.copyOf(block, clen), "round " + round);
        }
        assertTrue(compressed > 1000, "only " + compressed + " compressed");
    }

    @Test
    void shouldDecodeLz4JavasBlocks() throws IOException {
        SplittableRandom random = new SplittableRandom(11);
        LZ4Compressor fast = LZ4Factory.safeInstance().fastCompressor();
        LZ4Compressor high = LZ4Factory.safeInstance().highCompressor(9);
        for (int round = 0; round < 600; round++) {
            int len = random.nextInt(0, round % 40 == 0 ? 150_000 : 4000);
            byte[] src = repetitive(random, len);
            LZ4Compressor c = round % 2 == 0 ? fast : high;
            byte[] block = c.compress(src);
            assertDecodes(src, block, "round " + round);
        }
    }

    @Test
    void shouldDecodeEveryShortOffsetAndLengthBoundary() throws IOException {
        int[] literalLengths = {0, 1, 7, 8, 9, 14, 15, 16, 17, 31, 32, 33, 40, 269, 270, 271, 525};
        for (int offset = 1; offset <= 64; offset++) {
            for (int match = 4; match <= 80; match++) {
                check(offset, match, literalLengths[(offset + match) % literalLengths.length]);
            }
            for (int match : new int[] {18, 19, 20, 273, 274, 275, 529, 530, 1000, 70_000}) {
                check(offset, match, 3);
            }
        }
        for (int lit : literalLengths) {
            check(1, 4, lit);
            check(64, 33, lit);
        }
    }

    /** Literals (enough to reach back {@code offset}), one match, then trailing literals of several lengths. */
    private static void check(int offset, int match, int lead) throws IOException {
        SplittableRandom random = new SplittableRandom(offset * 1000L + match);
        for (int tail : new int[] {0, 1, 5, 12, 33}) {
            Blocks b = new Blocks();
            byte[] first = bytes(random, Math.max(lead, offset));
            b.literals(first).match(offset, match).literals(bytes(random, 2)).match(1, 4)
                    .match(Math.min(offset, first.length), match + 1).end(bytes(random, tail));
            assertDecodes(b.expected(), b.block(), "offset " + offset + " match " + match + " tail " + tail);
        }
    }

    @Test
    void shouldStreamMatchesAcrossTheWindowEnd() throws IOException {
        SplittableRandom random = new SplittableRandom(3);
        Blocks b = new Blocks();
        b.literals(bytes(random, 70_000)).match(65_535, 9_000).literals(bytes(random, 20))
                .match(3, 100_000).match(65_535, 65_535).literals(bytes(random, 9_000)).match(7, 31)
                .end(bytes(random, 17));
        assertDecodes(b.expected(), b.block(), "window");
    }

    @Test
    void shouldRejectBadSequencesWithAClearMessage() {
        assertCorrupt(new byte[] {}, 0, "ends inside a sequence");
        assertCorrupt(new byte[] {0x40, 'a', 'b'}, 4, "literals overrun");
        assertCorrupt(new byte[] {0x20, 'a', 'b'}, 1, "literals overrun");
        assertCorrupt(new byte[] {(byte) 0xF0}, 20, "ends inside a length");
        assertCorrupt(new byte[] {0x10, 'a', 1}, 9, "ends inside a match offset");
        assertCorrupt(new byte[] {0x10, 'a', 0, 0, 0x00}, 9, "match offset 0 reaches before");
        assertCorrupt(new byte[] {0x10, 'a', 2, 0, 0x00}, 9, "match offset 2 reaches before");
        assertCorrupt(new byte[] {0x1F, 'a', 1, 0}, 100, "ends inside a length");
        assertCorrupt(new byte[] {0x10, 'a', 1, 0, 0x10, 'b'}, 7, "yields 6 bytes, expected 7");
        assertCorrupt(new byte[] {0x10, 'a', 1, 0, 0x10, 'b'}, 4, "yields more than 4 bytes");
        byte[] runaway = new byte[5000];
        Arrays.fill(runaway, (byte) 0xFF);
        assertCorrupt(runaway, 100, "literals overrun");
        BlitFormatException e = assertThrows(BlitFormatException.class, () -> Lz4Decoder.decode(
                MemorySegment.ofArray(new byte[4]), 2, 3, 1, new byte[1], 0, 1));
        assertTrue(e.getMessage().contains("runs past its segment"), e.getMessage());
    }

    @Test
    void shouldFailCleanlyOnEveryTruncationAndRandomDamage() {
        SplittableRandom random = new SplittableRandom(5);
        Lz4Block lz4 = new Lz4Block();
        int damaged = 0;
        for (int round = 0; round < 300; round++) {
            int len = random.nextInt(200, 3000);
            byte[] src = repetitive(random, len);
            byte[] block = new byte[len + len / 255 + 16];
            int clen = lz4.compress(src, 0, len, block, 1);
            if (clen < 0) {
                continue;
            }
            for (int cut = 0; cut < clen; cut += 1 + clen / 40) {
                byte[] shorter = Arrays.copyOf(block, cut);
                tryDecode(shorter, len, true);
            }
            for (int k = 0; k < 20; k++) {
                byte[] bad = Arrays.copyOf(block, clen);
                for (int flips = random.nextInt(1, 4); flips > 0; flips--) {
                    bad[random.nextInt(clen)] = (byte) random.nextInt(256);
                }
                tryDecode(bad, len, false);
                damaged++;
            }
        }
        assertTrue(damaged > 3000, damaged + " damaged blocks");
    }

    /** Either exactly {@code raw} bytes within the limit, or corrupt; anything else (an IOOBE) fails the test. */
    private static void tryDecode(byte[] block, int raw, boolean mustFail) {
        byte[] dst = new byte[raw + 64];
        Arrays.fill(dst, SENTINEL);
        try {
            Lz4Decoder.decode(MemorySegment.ofArray(block), 0, block.length, raw, dst, 16, 16 + raw);
            if (mustFail) {
                fail("a truncated block decoded");
            }
        } catch (BlitFormatException e) {
            assertEquals(BlitFormatException.Kind.CORRUPT_DOCUMENT, e.kind());
        }
        assertUntouchedOutside(dst, 16, 16 + raw);
    }

    private static void assertCorrupt(byte[] block, int raw, String message) {
        BlitFormatException e = assertThrows(BlitFormatException.class, () -> Lz4Decoder.decode(
                MemorySegment.ofArray(block), 0, block.length, raw, new byte[raw], 0, raw));
        assertEquals(BlitFormatException.Kind.CORRUPT_DOCUMENT, e.kind());
        assertTrue(e.getMessage().contains(message), e.getMessage());
        BlitFormatException s = assertThrows(BlitFormatException.class, () -> new Lz4Decoder().stream(
                MemorySegment.ofArray(block), 0, block.length, raw, (b, f, k) -> { }));
        assertTrue(s.getMessage().contains(message), s.getMessage());
    }

    /** Decodes {@code block} every way: from an exact heap segment and from native memory, into all outputs. */
    private static void assertDecodes(byte[] expected, byte[] block, String what) throws IOException {
        int raw = expected.length;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment nativeCopy = arena.allocate(block.length + 3L);
            MemorySegment.copy(block, 0, nativeCopy, ValueLayout.JAVA_BYTE, 3, block.length);
            for (MemorySegment s : new MemorySegment[] {MemorySegment.ofArray(block), nativeCopy}) {
                long at = s == nativeCopy ? 3 : 0;
                byte[] exact = new byte[raw + 40];
                Arrays.fill(exact, SENTINEL);
                Lz4Decoder.decode(s, at, block.length, raw, exact, 20, 20 + raw);
                assertArrayEquals(expected, Arrays.copyOfRange(exact, 20, 20 + raw), what + " exact");
                assertUntouchedOutside(exact, 20, 20 + raw);

                byte[] roomy = new byte[raw + 100];
                Lz4Decoder.decode(s, at, block.length, raw, roomy, 5, roomy.length);
                assertArrayEquals(expected, Arrays.copyOfRange(roomy, 5, 5 + raw), what + " roomy");

                ByteArrayOutputStream streamed = new ByteArrayOutputStream();
                new Lz4Decoder().stream(s, at, block.length, raw, streamed::write);
                assertArrayEquals(expected, streamed.toByteArray(), what + " streamed");
            }
        }
    }

    private static void assertUntouchedOutside(byte[] dst, int from, int to) {
        for (int i = 0; i < dst.length; i++) {
            if ((i < from || i >= to) && dst[i] != SENTINEL) {
                fail("byte " + i + " outside [" + from + ", " + to + ") was written");
            }
        }
    }

    private static byte[] repetitive(SplittableRandom random, int len) {
        byte[] src = new byte[len];
        int alphabet = 1 + random.nextInt(random.nextBoolean() ? 255 : 5);
        int period = 1 + random.nextInt(random.nextBoolean() ? 9 : 400);
        for (int i = 0; i < len; i++) {
            src[i] = (byte) (random.nextInt(5) == 0 || i < period ? random.nextInt(alphabet) : src[i - period]);
        }
        return src;
    }

    private static byte[] bytes(SplittableRandom random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    /** Builds a block sequence by sequence, and the output a reference byte-by-byte decoder gives for it. */
    private static final class Blocks {
        private final ByteArrayOutputStream block = new ByteArrayOutputStream();
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private byte[] pending = new byte[0];

        Blocks literals(byte[] literals) {
            byte[] joined = Arrays.copyOf(pending, pending.length + literals.length);
            System.arraycopy(literals, 0, joined, pending.length, literals.length);
            pending = joined;
            return this;
        }

        Blocks match(int offset, int length) {
            sequence(pending, length - 4);
            block.write(offset & 0xFF);
            block.write(offset >>> 8);
            if (length - 4 >= 15) {
                extension(length - 4 - 15);
            }
            byte[] so = out.toByteArray();
            int start = so.length - offset;
            byte[] m = new byte[length];
            for (int i = 0; i < length; i++) {
                m[i] = i < offset ? so[start + i] : m[i - offset];
            }
            out.writeBytes(m);
            pending = new byte[0];
            return this;
        }

        Blocks end(byte[] literals) {
            literals(literals);
            sequence(pending, 0);
            pending = new byte[0];
            return this;
        }

        private void sequence(byte[] literals, int matchCode) {
            block.write(Math.min(literals.length, 15) << 4 | Math.min(matchCode, 15));
            if (literals.length >= 15) {
                extension(literals.length - 15);
            }
            block.writeBytes(literals);
            out.writeBytes(literals);
        }

        private void extension(int rest) {
            while (rest >= 255) {
                block.write(255);
                rest -= 255;
            }
            block.write(rest);
        }

        byte[] block() {
            return block.toByteArray();
        }

        byte[] expected() {
            return out.toByteArray();
        }
    }
}

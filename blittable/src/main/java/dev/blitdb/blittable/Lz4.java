package dev.blitdb.blittable;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import net.jpountz.lz4.LZ4Exception;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;

/**
 * LZ4 decompression for compressed strings (FORMAT.md §8; compression is {@link Lz4Block}). Uses lz4-java's
 * pure-Java "safe" instance: no {@code sun.misc.Unsafe}
 * (deprecated for removal on JDK 25) and a decompressor that checks every bound, because a stored document may be
 * corrupt. Decompression goes through per-thread scratch arrays so readers allocate nothing once warm.
 */
final class Lz4 {
    private Lz4() {
    }

    static final LZ4SafeDecompressor DECOMPRESSOR = LZ4Factory.safeInstance().safeDecompressor();

    private static final class Scratch {
        byte[] in = new byte[4096];
        byte[] out = new byte[4096];
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /**
     * Decompresses the block at {@code at} ({@code compressedLength} bytes) into {@code dst[off, off + rawLength)}.
     * Throws {@link BlitFormatException} (corrupt) unless it yields exactly {@code rawLength} bytes.
     */
    static void decompress(MemorySegment s, long at, int compressedLength, int rawLength, byte[] dst, int off) {
        Scratch scratch = SCRATCH.get();
        if (scratch.in.length < compressedLength) {
            scratch.in = new byte[Math.max(compressedLength, scratch.in.length * 2)];
        }
        MemorySegment.copy(s, ValueLayout.JAVA_BYTE, at, scratch.in, 0, compressedLength);
        int n;
        try {
            n = DECOMPRESSOR.decompress(scratch.in, 0, compressedLength, dst, off, rawLength);
        } catch (LZ4Exception | ArrayIndexOutOfBoundsException e) {
            throw BlitFormatException.corrupt("compressed string does not decompress: " + e.getMessage(), at);
        }
        if (n != rawLength) {
            throw BlitFormatException.corrupt("compressed string yields " + n + " bytes, expected " + rawLength, at);
        }
    }

    /** Decompresses {@code src[at, at + compressedLength)} into {@code dst[0, rawLength)}; corrupt unless exact. */
    static void decompress(byte[] src, int at, int compressedLength, int rawLength, byte[] dst) {
        int n;
        try {
            n = DECOMPRESSOR.decompress(src, at, compressedLength, dst, 0, rawLength);
        } catch (LZ4Exception | ArrayIndexOutOfBoundsException e) {
            throw BlitFormatException.corrupt("compressed string does not decompress: " + e.getMessage(), at);
        }
        if (n != rawLength) {
            throw BlitFormatException.corrupt("compressed string yields " + n + " bytes, expected " + rawLength, at);
        }
    }

    /** Decompresses into this thread's output scratch array and returns it (valid until the next call). */
    static byte[] decompressToScratch(MemorySegment s, long at, int compressedLength, int rawLength) {
        Scratch scratch = SCRATCH.get();
        if (scratch.out.length < rawLength) {
            scratch.out = new byte[Math.max(rawLength, scratch.out.length * 2)];
        }
        decompress(s, at, compressedLength, rawLength, scratch.out, 0);
        return scratch.out;
    }
}

package dev.blitdb.blittable;

import java.lang.foreign.MemorySegment;

/**
 * LZ4 decompression for compressed strings (FORMAT.md §8; compression is {@link Lz4Block}, decoding
 * {@link Lz4Decoder}, which checks every bound because a stored document may be corrupt). Reads go straight from
 * the document's segment into the caller's array or a per-thread scratch array, so readers allocate nothing once
 * warm.
 */
final class Lz4 {
    private Lz4() {
    }

    private static final class Scratch {
        byte[] out = new byte[4096];
        /** The second operand of a comparison of two compressed strings. */
        byte[] other = new byte[4096];
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /**
     * Decompresses the block at {@code at} ({@code compressedLength} bytes) into {@code dst[off, off + rawLength)}
     * and nothing else of {@code dst}. Throws {@link BlitFormatException} (corrupt) unless it yields exactly
     * {@code rawLength} bytes.
     */
    static void decompress(MemorySegment s, long at, int compressedLength, int rawLength, byte[] dst, int off) {
        Lz4Decoder.decode(s, at, compressedLength, rawLength, dst, off, off + rawLength);
    }

    /** Decompresses into this thread's output scratch array and returns it (valid until the next call). */
    static byte[] decompressToScratch(MemorySegment s, long at, int compressedLength, int rawLength) {
        Scratch scratch = SCRATCH.get();
        if (scratch.out.length < rawLength) {
            scratch.out = new byte[Math.max(rawLength, scratch.out.length * 2)];
        }
        // The scratch past rawLength is free, so the decoder may copy past the end in wide steps.
        Lz4Decoder.decode(s, at, compressedLength, rawLength, scratch.out, 0, scratch.out.length);
        return scratch.out;
    }

    /** As {@link #decompressToScratch}, into a second per-thread array (so two strings can be held at once). */
    static byte[] decompressToOtherScratch(MemorySegment s, long at, int compressedLength, int rawLength) {
        Scratch scratch = SCRATCH.get();
        if (scratch.other.length < rawLength) {
            scratch.other = new byte[Math.max(rawLength, scratch.other.length * 2)];
        }
        Lz4Decoder.decode(s, at, compressedLength, rawLength, scratch.other, 0, scratch.other.length);
        return scratch.other;
    }
}

package dev.blitdb.blittable;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

import static dev.blitdb.blittable.BlitFormat.*;

/**
 * A view of a UTF-8 string inside a document — a string value (plain or LZ4-compressed, FORMAT.md §8) or a
 * property name. Compare it to a {@link BlitKey}, hash it, copy its bytes into a caller's buffer; it becomes a
 * {@code String} only when {@link #toString()} is asked for. Comparing, ordering and hashing allocate nothing (a
 * compressed string is decompressed into a per-thread scratch buffer — for equality only when its length already
 * matches — which keeps the size of the longest string it held). Reusable.
 */
public final class BlitString implements Comparable<BlitString> {
    private MemorySegment segment;
    /** Absolute offset of the bytes (plain) or of the LZ4 block (compressed). */
    private long at;
    private int length;
    /** LZ4 block length, or -1 for plain bytes. */
    private int compressedLength = -1;
    private boolean escape;

    /** Points at the string value whose token is at absolute offset {@code tokenAt}. */
    BlitString wrapValue(MemorySegment s, long tokenAt, int token) {
        int type = token & TYPE_MASK;
        long p = tokenAt + 1;
        if (type == TYPE_STRING) {
            length = (int) Bytes.varint(s, p);
            at = p + Bytes.varintSize(s, p);
            compressedLength = -1;
        } else if (type == TYPE_COMPRESSED_STRING) {
            length = (int) Bytes.varint(s, p);
            p += Bytes.varintSize(s, p);
            compressedLength = (int) Bytes.varint(s, p);
            at = p + Bytes.varintSize(s, p);
        } else {
            throw Numbers.wrongType(token, tokenAt, "a string");
        }
        segment = s;
        escape = (token & FLAG_ESCAPE) != 0;
        return this;
    }

    /** Points at name {@code id} of {@code doc}'s name table. */
    BlitString wrapName(BlitDocument doc, int id) {
        segment = doc.segment();
        at = doc.nameStart(id);
        length = doc.nameLength(id);
        compressedLength = -1;
        escape = true; // names carry no flag: output scans them
        return this;
    }

    /** Length in UTF-8 bytes. */
    public int length() {
        return length;
    }

    public boolean isCompressed() {
        return compressedLength >= 0;
    }

    /** True when JSON output must escape some byte (always true for property names, which carry no flag). */
    public boolean mayNeedEscape() {
        return escape;
    }

    /** True when the content equals the key's UTF-8 bytes. */
    public boolean equalsKey(BlitKey key) {
        return equalsUtf8(key.utf8, 0, key.utf8.length);
    }

    /** True when the content equals {@code utf8[off, off + len)}. */
    public boolean equalsUtf8(byte[] utf8, int off, int len) {
        if (len != length) {
            return false;
        }
        if (compressedLength >= 0) {
            byte[] plain = Lz4.decompressToScratch(segment, at, compressedLength, length);
            return java.util.Arrays.equals(plain, 0, len, utf8, off, off + len);
        }
        MemorySegment s = segment;
        long p = at;
        for (int i = 0; i < len; i++) {
            if (s.get(ValueLayout.JAVA_BYTE, p + i) != utf8[off + i]) {
                return false;
            }
        }
        return true;
    }

    /** FNV-1a (32 bit) of the UTF-8 bytes; equal to {@link BlitKey#hash()} for equal content. */
    public int hash() {
        if (compressedLength >= 0) {
            return hash(Lz4.decompressToScratch(segment, at, compressedLength, length), 0, length);
        }
        int h = 0x811C9DC5;
        for (long p = at, end = at + length; p < end; p++) {
            h = (h ^ (segment.get(ValueLayout.JAVA_BYTE, p) & 0xFF)) * 0x01000193;
        }
        return h;
    }

    static int hash(byte[] b, int off, int len) {
        int h = 0x811C9DC5;
        for (int i = off; i < off + len; i++) {
            h = (h ^ (b[i] & 0xFF)) * 0x01000193;
        }
        return h;
    }

    /** Copies the UTF-8 bytes into {@code dst} at {@code off} (room for {@link #length()} bytes needed). */
    public int copyTo(byte[] dst, int off) {
        if (compressedLength >= 0) {
            Lz4.decompress(segment, at, compressedLength, length, dst, off);
        } else {
            MemorySegment.copy(segment, ValueLayout.JAVA_BYTE, at, dst, off, length);
        }
        return length;
    }

    /**
     * Unsigned byte-wise comparison of the UTF-8 contents (the order of property names, FORMAT.md §6; for valid
     * UTF-8 this is code point order). Allocation-free: a compressed operand is decompressed into a per-thread
     * scratch array (a second one when both are compressed), plain bytes are read in place; the result's sign is
     * what matters, its magnitude is unspecified.
     */
    @Override
    public int compareTo(BlitString other) {
        if (compressedLength < 0 && other.compressedLength < 0) {
            return compare(segment, at, length, other.segment, other.at, other.length);
        }
        if (compressedLength < 0) {
            return -other.compareToPlain(segment, at, length);
        }
        if (other.compressedLength < 0) {
            return compareToPlain(other.segment, other.at, other.length);
        }
        byte[] a = Lz4.decompressToScratch(segment, at, compressedLength, length);
        byte[] b = Lz4.decompressToOtherScratch(other.segment, other.at, other.compressedLength, other.length);
        return java.util.Arrays.compareUnsigned(a, 0, length, b, 0, other.length);
    }

    /** This (compressed) string against plain bytes {@code s[p, p + n)}. */
    private int compareToPlain(MemorySegment s, long p, int n) {
        byte[] a = Lz4.decompressToScratch(segment, at, compressedLength, length);
        int common = Math.min(length, n);
        for (int i = 0; i < common; i++) {
            int c = (a[i] & 0xFF) - (s.get(ValueLayout.JAVA_BYTE, p + i) & 0xFF);
            if (c != 0) {
                return c;
            }
        }
        return length - n;
    }

    private static int compare(MemorySegment a, long pa, int na, MemorySegment b, long pb, int nb) {
        int n = Math.min(na, nb);
        for (int i = 0; i < n; i++) {
            int c = (a.get(ValueLayout.JAVA_BYTE, pa + i) & 0xFF) - (b.get(ValueLayout.JAVA_BYTE, pb + i) & 0xFF);
            if (c != 0) {
                return c;
            }
        }
        return na - nb;
    }

    /** Decodes into a new {@code String} (allocates). */
    @Override
    public String toString() {
        byte[] b = new byte[length];
        copyTo(b, 0);
        return new String(b, StandardCharsets.UTF_8);
    }

}

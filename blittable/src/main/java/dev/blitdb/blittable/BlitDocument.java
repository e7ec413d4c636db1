package dev.blitdb.blittable;

import java.lang.foreign.MemorySegment;

import static dev.blitdb.blittable.BlitFormat.*;

/**
 * A flyweight over one blittable document at ({@code segment}, {@code offset}) — a heap segment
 * ({@code MemorySegment.ofArray(bytes)}) or a slice of a mapped file. {@link #wrap} checks the header only; reads
 * then trust the document (FORMAT.md §12): call {@link #validate()} first on bytes that did not come from this
 * module. The views it hands out are valid as long as the segment is (for a mapped store: until the read
 * transaction that produced the segment closes). Reusable: {@code wrap} it onto the next document.
 */
public final class BlitDocument {
    private MemorySegment segment;
    private long base;
    private int length;
    private int rootPosition;
    private int nameTablePosition;
    private int nameWidth;
    private int nameCount;
    private int nameOffsetsPosition;
    private int nameDataPosition;

    /** Points this flyweight at the document starting at {@code offset}; checks the header (cheap, O(1)). */
    public BlitDocument wrap(MemorySegment segment, long offset) {
        long available = segment.byteSize() - offset;
        if (offset < 0 || available < MIN_DOCUMENT_LENGTH) {
            throw BlitFormatException.corrupt("no room for a document: " + Math.max(available, 0) + " bytes", 0);
        }
        if (segment.get(java.lang.foreign.ValueLayout.JAVA_BYTE, offset + HEADER_MAGIC) != MAGIC) {
            throw BlitFormatException.corrupt("bad magic byte", HEADER_MAGIC);
        }
        if (segment.get(java.lang.foreign.ValueLayout.JAVA_BYTE, offset + HEADER_VERSION) != VERSION) {
            throw BlitFormatException.corrupt("unsupported format version "
                    + Bytes.u8(segment, offset + HEADER_VERSION), HEADER_VERSION);
        }
        int len = Bytes.u32(segment, offset + HEADER_DOCUMENT_LENGTH);
        int root = Bytes.u32(segment, offset + HEADER_ROOT_POSITION);
        int names = Bytes.u32(segment, offset + HEADER_NAME_TABLE_POSITION);
        if (len < MIN_DOCUMENT_LENGTH || len > available) {
            throw BlitFormatException.corrupt("document length " + Integer.toUnsignedString(len)
                    + " outside 18.." + available, HEADER_DOCUMENT_LENGTH);
        }
        if (names < HEADER_SIZE + 1 || names > len - 2 || root < HEADER_SIZE || root >= names) {
            throw BlitFormatException.corrupt("root position " + Integer.toUnsignedString(root)
                    + " or name table position " + Integer.toUnsignedString(names) + " out of range", HEADER_ROOT_POSITION);
        }
        int code = Bytes.u8(segment, offset + names);
        int w = width(code);
        if (w == 0 || code > 3) {
            throw BlitFormatException.corrupt("bad name table width code " + code, names);
        }
        long countAt = offset + names + 1;
        int countSize = Bytes.varintSize(segment, countAt);
        if (countSize > 5 || names + 1 + countSize > len) {
            throw BlitFormatException.corrupt("bad name count", names + 1);
        }
        long count = Bytes.varint(segment, countAt);
        long dataPos = names + 1L + countSize + (count + 1) * w;
        if (count > len || dataPos > len) {
            throw BlitFormatException.corrupt("name table of " + count + " names does not fit", names + 1);
        }
        this.segment = segment;
        this.base = offset;
        this.length = len;
        this.rootPosition = root;
        this.nameTablePosition = names;
        this.nameWidth = w;
        this.nameCount = (int) count;
        this.nameOffsetsPosition = names + 1 + countSize;
        this.nameDataPosition = (int) dataPos;
        return this;
    }

    /** Wraps a whole byte array. */
    public BlitDocument wrap(byte[] document) {
        return wrap(MemorySegment.ofArray(document), 0);
    }

    /** Full structural check (FORMAT.md §12); throws {@link BlitFormatException} of kind CORRUPT_DOCUMENT. */
    public BlitDocument validate() {
        new BlitValidator().validate(this);
        return this;
    }

    public MemorySegment segment() {
        return segment;
    }

    /** Offset of the document inside {@link #segment()}. */
    public long base() {
        return base;
    }

    /** Document length in bytes. */
    public int length() {
        return length;
    }

    public int rootPosition() {
        return rootPosition;
    }

    public BlitType rootType() {
        return BlitType.of(Bytes.u8(segment, base + rootPosition));
    }

    /** The root value. */
    public BlitValue root(BlitValue into) {
        return into.wrap(this, rootPosition);
    }

    /** The root object; throws {@link IllegalStateException} if the root is not an object. */
    public BlitObject rootObject(BlitObject into) {
        int token = Bytes.u8(segment, base + rootPosition);
        if ((token & TYPE_MASK) != TYPE_OBJECT) {
            throw new IllegalStateException("the document root is " + BlitType.of(token) + ", not an object");
        }
        return into.wrap(this, rootPosition);
    }

    int nameTablePosition() {
        return nameTablePosition;
    }

    int nameWidth() {
        return nameWidth;
    }

    int nameCount() {
        return nameCount;
    }

    int nameOffsetsPosition() {
        return nameOffsetsPosition;
    }

    int nameDataPosition() {
        return nameDataPosition;
    }

    /** Absolute segment offset of the first byte of name {@code id}. */
    long nameStart(int id) {
        return base + nameDataPosition + Bytes.uint(segment, base + nameOffsetsPosition + (long) id * nameWidth,
                nameWidth);
    }

    /** Length in bytes of name {@code id}. */
    int nameLength(int id) {
        long at = base + nameOffsetsPosition + (long) id * nameWidth;
        return Bytes.uint(segment, at + nameWidth, nameWidth) - Bytes.uint(segment, at, nameWidth);
    }

    /**
     * Unsigned lexicographic comparison of name {@code id} with {@code key} (FORMAT.md §6 order). Kept small so it
     * inlines into the binary search: both name offsets come from one read, names compare 8 bytes per read, and the
     * rare name that ends within 8 bytes of the document's end takes {@link #compareTail}.
     */
    int compareName(int id, BlitKey key) {
        MemorySegment s = segment;
        long at = base + nameOffsetsPosition + (long) id * nameWidth;
        int from;
        int len;
        if (nameWidth == 2) {
            int both = s.get(Bytes.U32, at);
            from = both & 0xFFFF;
            len = (both >>> 16) - from;
        } else if (nameWidth == 1) {
            int both = s.get(Bytes.U16, at);
            from = both & 0xFF;
            len = ((both >>> 8) & 0xFF) - from;
        } else {
            from = s.get(Bytes.U32, at);
            len = s.get(Bytes.U32, at + 4) - from;
        }
        long p = base + nameDataPosition + from;
        long[] words = key.words;
        int keyLength = key.utf8.length;
        int n = Math.min(len, keyLength);
        if (p + n + 8 > base + length) {
            return compareTail(p, len, key);
        }
        for (int i = 0; i < n; i += 8) {
            long x = s.get(BE_LONG, p + i);
            long y = words[i >>> 3];
            int k = n - i;
            if (k < 8) {
                long mask = ~(-1L >>> (k << 3));
                x &= mask;
                y &= mask;
            }
            if (x != y) {
                return Long.compareUnsigned(x, y);
            }
        }
        return len - keyLength;
    }

    /** Byte-by-byte comparison for a name too close to the document's end for 8-byte reads. */
    private int compareTail(long p, int len, BlitKey key) {
        byte[] k = key.utf8;
        int n = Math.min(len, k.length);
        for (int i = 0; i < n; i++) {
            int c = (segment.get(java.lang.foreign.ValueLayout.JAVA_BYTE, p + i) & 0xFF) - (k[i] & 0xFF);
            if (c != 0) {
                return c;
            }
        }
        return len - k.length;
    }

    /** True when the {@code length} bytes at absolute offset {@code p} equal {@code key}'s bytes. */
    boolean bytesEqual(long p, int length, BlitKey key) {
        if (length != key.utf8.length) {
            return false;
        }
        if (p + length + 8 > base + this.length) {
            byte[] k = key.utf8;
            for (int i = 0; i < length; i++) {
                if (segment.get(java.lang.foreign.ValueLayout.JAVA_BYTE, p + i) != k[i]) {
                    return false;
                }
            }
            return true;
        }
        long[] words = key.words;
        for (int i = 0; i < length; i += 8) {
            long x = segment.get(BE_LONG, p + i);
            int k = length - i;
            if (k < 8) {
                x &= ~(-1L >>> (k << 3));
            }
            if (x != words[i >>> 3]) {
                return false;
            }
        }
        return true;
    }

    private static final java.lang.foreign.ValueLayout.OfLong BE_LONG =
            java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN);
}

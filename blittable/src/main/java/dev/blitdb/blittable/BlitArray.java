package dev.blitdb.blittable;

import java.lang.foreign.MemorySegment;

import static dev.blitdb.blittable.BlitFormat.*;

/** A flyweight over an array (FORMAT.md §5): O(1) access to item {@code i}. Reusable; allocation-free. */
public final class BlitArray {
    private BlitDocument doc;
    private MemorySegment segment;
    private int position;
    private long at;
    private int count;
    private int width;
    private long offsetsAt;

    BlitArray wrap(BlitDocument doc, int position) {
        this.doc = doc;
        this.segment = doc.segment();
        this.position = position;
        this.at = doc.base() + position;
        int token = Bytes.u8(segment, at);
        this.width = width((token >>> OFFSET_WIDTH_SHIFT) & 3);
        this.count = (int) Bytes.varint(segment, at + 1);
        this.offsetsAt = at + 1 + Bytes.varintSize(segment, at + 1);
        return this;
    }

    public int length() {
        return count;
    }

    public int position() {
        return position;
    }

    /** Position of item {@code i} in the document. */
    int itemPosition(int i) {
        if (i < 0 || i >= count) {
            throw new IndexOutOfBoundsException("index " + i + " of an array of length " + count);
        }
        return position - Bytes.uint(segment, offsetsAt + (long) i * width, width);
    }

    /** Points {@code into} at item {@code i}. */
    public BlitValue get(int i, BlitValue into) {
        return into.wrap(doc, itemPosition(i));
    }

    public BlitType typeAt(int i) {
        return BlitType.of(Bytes.u8(segment, doc.base() + itemPosition(i)));
    }

    public long getLong(int i) {
        long p = doc.base() + itemPosition(i);
        return Numbers.toLong(segment, p, Bytes.u8(segment, p));
    }

    public double getDouble(int i) {
        long p = doc.base() + itemPosition(i);
        return Numbers.toDouble(segment, p, Bytes.u8(segment, p));
    }

    public BlitString getString(int i, BlitString into) {
        long p = doc.base() + itemPosition(i);
        return into.wrapValue(segment, p, Bytes.u8(segment, p));
    }

    public BlitDocument document() {
        return doc;
    }
}

package dev.blitdb.blittable;

import java.lang.foreign.MemorySegment;
import java.math.BigDecimal;

import static dev.blitdb.blittable.BlitFormat.*;

/**
 * A flyweight over one value of a document: ask its {@link #type()}, read it as a primitive, or point another
 * flyweight at it. Number and boolean reads allocate nothing (see FORMAT.md §4 for the rare exceptions). Reusable;
 * valid while the underlying document is.
 */
public final class BlitValue {
    private BlitDocument doc;
    private MemorySegment segment;
    private long at;
    private int position;
    private int token;

    BlitValue wrap(BlitDocument doc, int position) {
        this.doc = doc;
        this.segment = doc.segment();
        this.position = position;
        this.at = doc.base() + position;
        this.token = Bytes.u8(segment, at);
        return this;
    }

    public BlitDocument document() {
        return doc;
    }

    /** Position of the value's token inside its document. */
    public int position() {
        return position;
    }

    public BlitType type() {
        return BlitType.of(token);
    }

    public boolean isNull() {
        return (token & TYPE_MASK) == TYPE_NULL;
    }

    public boolean isNumber() {
        int t = token & TYPE_MASK;
        return t == TYPE_INTEGER || t == TYPE_DECIMAL || t == TYPE_NUMBER_TEXT;
    }

    public boolean asBoolean() {
        int t = token & TYPE_MASK;
        if (t != TYPE_TRUE && t != TYPE_FALSE) {
            throw Numbers.wrongType(token, at, "a boolean");
        }
        return t == TYPE_TRUE;
    }

    /** Exact for INTEGER; other numbers truncate toward zero. Throws {@link IllegalStateException} if not a number. */
    public long asLong() {
        return Numbers.toLong(segment, at, token);
    }

    /** The number as the nearest double. Throws {@link IllegalStateException} if not a number. */
    public double asDouble() {
        return Numbers.toDouble(segment, at, token);
    }

    /** The exact number (allocates). */
    public BigDecimal asBigDecimal() {
        return Numbers.toBigDecimal(segment, at, token);
    }

    public BlitString asString(BlitString into) {
        return into.wrapValue(segment, at, token);
    }

    public BlitObject asObject(BlitObject into) {
        if ((token & TYPE_MASK) != TYPE_OBJECT) {
            throw Numbers.wrongType(token, at, "an object");
        }
        return into.wrap(doc, position);
    }

    public BlitArray asArray(BlitArray into) {
        if ((token & TYPE_MASK) != TYPE_ARRAY) {
            throw Numbers.wrongType(token, at, "an array");
        }
        return into.wrap(doc, position);
    }

    int token() {
        return token;
    }
}

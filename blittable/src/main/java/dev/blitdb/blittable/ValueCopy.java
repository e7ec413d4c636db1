package dev.blitdb.blittable;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static dev.blitdb.blittable.BlitFormat.*;

/**
 * Copies a value of one document into the document a {@link BlitBuilder} is writing — e.g. each {@code Document}
 * of a converted bulk request becoming a document of its own. Scalars (numbers, strings, compressed strings) hold no
 * offsets, so their bytes are copied as they are; containers are rebuilt because their distances and name ids
 * belong to the source document. Property names are turned into Strings through the builder's name cache
 * (one String per distinct name and source document).
 */
final class ValueCopy {
    private BlitObject[] objects = new BlitObject[0];
    private BlitArray[] arrays = new BlitArray[0];
    private final BlitString name = new BlitString();

    /** Copies the value at {@code position} of {@code doc} as the builder's next value; reuses its flyweights. */
    void copy(BlitBuilder b, BlitDocument doc, int position) {
        copy(b, doc, position, 0);
    }

    private void copy(BlitBuilder b, BlitDocument doc, int position, int depth) {
        if (depth == objects.length) {
            objects = java.util.Arrays.copyOf(objects, depth + 8);
            arrays = java.util.Arrays.copyOf(arrays, depth + 8);
            for (int i = depth; i < depth + 8; i++) {
                objects[i] = new BlitObject();
                arrays[i] = new BlitArray();
            }
        }
        MemorySegment s = doc.segment();
        long at = doc.base() + position;
        int token = Bytes.u8(s, at);
        switch (token & TYPE_MASK) {
            case TYPE_OBJECT -> {
                BlitObject o = objects[depth].wrap(doc, position);
                b.startObject();
                for (int k = 0; k < o.length(); k++) {
                    int i = o.sortedIndex(k);
                    b.name(o.nameAt(i, name).toString());
                    copy(b, doc, o.valuePosition(i), depth + 1);
                }
                b.endObject();
            }
            case TYPE_ARRAY -> {
                BlitArray a = arrays[depth].wrap(doc, position);
                b.startArray();
                for (int i = 0; i < a.length(); i++) {
                    copy(b, doc, a.itemPosition(i), depth + 1);
                }
                b.endArray();
            }
            default -> b.rawScalar(s, at, scalarLength(s, at, token));
        }
    }

    /** Bytes of the scalar whose token is at {@code at}, token included. */
    static int scalarLength(MemorySegment s, long at, int token) {
        long p = at + 1;
        switch (token & TYPE_MASK) {
            case TYPE_NULL, TYPE_FALSE, TYPE_TRUE -> {
                return 1;
            }
            case TYPE_INTEGER -> {
                return 1 + Bytes.varintSize(s, p);
            }
            case TYPE_DECIMAL -> {
                int first = Bytes.varintSize(s, p);
                return 1 + first + Bytes.varintSize(s, p + first);
            }
            case TYPE_NUMBER_TEXT, TYPE_STRING -> {
                return (int) (1 + Bytes.varintSize(s, p) + Bytes.varint(s, p));
            }
            case TYPE_COMPRESSED_STRING -> {
                int raw = Bytes.varintSize(s, p);
                long c = p + raw;
                return (int) (1 + raw + Bytes.varintSize(s, c) + Bytes.varint(s, c));
            }
            default -> throw BlitFormatException.corrupt("bad token 0x" + Integer.toHexString(token), at);
        }
    }

    static void copyBytes(MemorySegment s, long at, byte[] dst, int off, int len) {
        MemorySegment.copy(s, ValueLayout.JAVA_BYTE, at, dst, off, len);
    }
}

package dev.blitdb.blittable;

import java.lang.foreign.MemorySegment;

import static dev.blitdb.blittable.BlitFormat.*;

/**
 * A flyweight over an object (FORMAT.md §6). Entries are sorted by name, so {@link #find(BlitKey)} is a binary
 * search over the entry table; index-based accessors use the sorted index, and {@link #sortedIndex(int)} maps the
 * client's original order onto it. Typed getters return the caller's default for a missing property (and for
 * {@code null}, except {@link #isNull}); they throw {@link IllegalStateException} on a value of another type.
 * Lookups, number and boolean reads and key comparisons allocate nothing. Reusable via {@code wrap}.
 */
public final class BlitObject {
    private BlitDocument doc;
    private MemorySegment segment;
    private int position;
    private long at;
    private int count;
    private int offsetWidth;
    private int idWidth;
    private int entryWidth;
    private int orderWidth;
    private long entriesAt;
    private long orderAt;

    BlitObject wrap(BlitDocument doc, int position) {
        this.doc = doc;
        this.segment = doc.segment();
        this.position = position;
        this.at = doc.base() + position;
        int token = Bytes.u8(segment, at);
        offsetWidth = width((token >>> OFFSET_WIDTH_SHIFT) & 3);
        idWidth = width((token >>> ID_WIDTH_SHIFT) & 3);
        entryWidth = offsetWidth + idWidth;
        long header = Bytes.varint(segment, at + 1);
        count = (int) (header >>> 1);
        entriesAt = at + 1 + Bytes.varintSize(segment, at + 1);
        orderWidth = (header & ORIGINAL_ORDER_FLAG) != 0 ? orderWidth(count) : 0;
        orderAt = entriesAt + (long) count * entryWidth;
        return this;
    }

    public BlitDocument document() {
        return doc;
    }

    public int position() {
        return position;
    }

    /** Number of properties. */
    public int length() {
        return count;
    }

    /** Sorted index of the property named {@code key}, or -1. */
    public int find(BlitKey key) {
        int[] hints = key.hints;
        int slot = count & 7;
        int hint = hints[slot];
        if (hint < count && doc.compareName(nameId(hint), key) == 0) {
            return hint;
        }
        int found = search(key);
        if (found >= 0 && found != hint) {
            hints[slot] = found;
        }
        return found;
    }

    private int search(BlitKey key) {
        int lo = 0;
        int hi = count - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int id = Bytes.uint(segment, entriesAt + (long) mid * entryWidth + offsetWidth, idWidth);
            int c = doc.compareName(id, key);
            if (c < 0) {
                lo = mid + 1;
            } else if (c > 0) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return -1;
    }

    /** Position in the document of the value of the entry at sorted index {@code i}. */
    public int valuePosition(int i) {
        if (i < 0 || i >= count) {
            throw new IndexOutOfBoundsException("index " + i + " of an object of " + count + " properties");
        }
        return position - Bytes.uint(segment, entriesAt + (long) i * entryWidth, offsetWidth);
    }

    /** Name id (into the document's name table) of the entry at sorted index {@code i}. */
    int nameId(int i) {
        return Bytes.uint(segment, entriesAt + (long) i * entryWidth + offsetWidth, idWidth);
    }

    /** Sorted index of the property that came {@code k}-th in the client's JSON. */
    public int sortedIndex(int k) {
        if (k < 0 || k >= count) {
            throw new IndexOutOfBoundsException("index " + k + " of an object of " + count + " properties");
        }
        return orderWidth == 0 ? k : Bytes.uint(segment, orderAt + (long) k * orderWidth, orderWidth);
    }

    /** True when the client's property order differs from the sorted order (FORMAT.md §6 stores a permutation). */
    public boolean hasOriginalOrder() {
        return orderWidth != 0;
    }

    public BlitString nameAt(int i, BlitString into) {
        if (i < 0 || i >= count) {
            throw new IndexOutOfBoundsException("index " + i + " of an object of " + count + " properties");
        }
        return into.wrapName(doc, nameId(i));
    }

    public BlitValue valueAt(int i, BlitValue into) {
        return into.wrap(doc, valuePosition(i));
    }

    // ---- by key ----

    public boolean contains(BlitKey key) {
        return find(key) >= 0;
    }

    /** Points {@code into} at the property's value; false when there is no such property. */
    public boolean get(BlitKey key, BlitValue into) {
        int i = find(key);
        if (i < 0) {
            return false;
        }
        into.wrap(doc, valuePosition(i));
        return true;
    }

    /** The type of the property, or null when it is missing. */
    public BlitType typeOf(BlitKey key) {
        int i = find(key);
        return i < 0 ? null : BlitType.of(Bytes.u8(segment, doc.base() + valuePosition(i)));
    }

    /** True when the property exists and is {@code null}. */
    public boolean isNull(BlitKey key) {
        int i = find(key);
        return i >= 0 && (Bytes.u8(segment, doc.base() + valuePosition(i)) & TYPE_MASK) == TYPE_NULL;
    }

    public long getLong(BlitKey key, long missing) {
        int i = find(key);
        if (i < 0) {
            return missing;
        }
        long p = doc.base() + valuePosition(i);
        int token = Bytes.u8(segment, p);
        if ((token & TYPE_MASK) == TYPE_INTEGER) {
            return Bytes.zigzagDecode(Bytes.varint(segment, p + 1));
        }
        return (token & TYPE_MASK) == TYPE_NULL ? missing : Numbers.toLong(segment, p, token);
    }

    public double getDouble(BlitKey key, double missing) {
        int i = find(key);
        if (i < 0) {
            return missing;
        }
        long p = doc.base() + valuePosition(i);
        int token = Bytes.u8(segment, p);
        return (token & TYPE_MASK) == TYPE_NULL ? missing : Numbers.toDouble(segment, p, token);
    }

    public boolean getBoolean(BlitKey key, boolean missing) {
        int i = find(key);
        if (i < 0) {
            return missing;
        }
        int t = Bytes.u8(segment, doc.base() + valuePosition(i)) & TYPE_MASK;
        if (t == TYPE_TRUE || t == TYPE_FALSE) {
            return t == TYPE_TRUE;
        }
        if (t == TYPE_NULL) {
            return missing;
        }
        throw Numbers.wrongType(t, doc.base() + valuePosition(i), "a boolean");
    }

    /** Points {@code into} at the string property; false when missing or null; {@link IllegalStateException} if
     * the value is not a string. */
    public boolean getString(BlitKey key, BlitString into) {
        int i = find(key);
        if (i < 0) {
            return false;
        }
        long p = doc.base() + valuePosition(i);
        int token = Bytes.u8(segment, p);
        if ((token & TYPE_MASK) == TYPE_NULL) {
            return false;
        }
        into.wrapValue(segment, p, token);
        return true;
    }

    /** True when the property is a string equal to {@code expected}. */
    public boolean stringEquals(BlitKey key, BlitKey expected) {
        int i = find(key);
        if (i < 0) {
            return false;
        }
        long p = doc.base() + valuePosition(i);
        int token = Bytes.u8(segment, p);
        int t = token & TYPE_MASK;
        if (t == TYPE_STRING) {
            // Inline fast path: length, then 8 bytes per read.
            long len = Bytes.varint(segment, p + 1);
            return len == expected.utf8.length
                    && doc.bytesEqual(p + 1 + Bytes.varintSize(segment, p + 1), (int) len, expected);
        }
        if (t == TYPE_COMPRESSED_STRING) {
            return SCRATCH.get().wrapValue(segment, p, token).equalsKey(expected);
        }
        return false;
    }

    private static final ThreadLocal<BlitString> SCRATCH = ThreadLocal.withInitial(BlitString::new);

    /** Points {@code into} at the object property; false when missing, null or not an object. */
    public boolean getObject(BlitKey key, BlitObject into) {
        int vp = positionOf(key, TYPE_OBJECT);
        if (vp < 0) {
            return false;
        }
        into.wrap(doc, vp);
        return true;
    }

    /** Points {@code into} at the array property; false when missing, null or not an array. */
    public boolean getArray(BlitKey key, BlitArray into) {
        int vp = positionOf(key, TYPE_ARRAY);
        if (vp < 0) {
            return false;
        }
        into.wrap(doc, vp);
        return true;
    }

    /** The position of the property's value if it has {@code type}, else -1 (missing or another type). */
    private int positionOf(BlitKey key, int type) {
        int i = find(key);
        if (i < 0) {
            return -1;
        }
        int vp = valuePosition(i);
        return (Bytes.u8(segment, doc.base() + vp) & TYPE_MASK) == type ? vp : -1;
    }

    /** Calls {@code visitor} for every property, in the client's order or in sorted order. */
    public void forEach(boolean originalOrder, BlitString name, BlitValue value, PropertyVisitor visitor) {
        for (int k = 0; k < count; k++) {
            int i = originalOrder ? sortedIndex(k) : k;
            visitor.visit(nameAt(i, name), valueAt(i, value));
        }
    }

    /** Receives each property; the flyweights are reused between calls. */
    @FunctionalInterface
    public interface PropertyVisitor {
        void visit(BlitString name, BlitValue value);
    }
}

package dev.blitdb.blittable;

import java.util.ArrayList;
import java.util.List;

/**
 * A description of changes to an object — set, replace or remove properties, and edit nested objects — applied as
 * an efficient modified copy of a document:
 *
 * <pre>{@code
 * BlitPatch patch = new BlitPatch();                     // reusable: clear() between documents
 * patch.object("@metadata").set("@id", "users/1").set("@collection", "Users");
 * patch.remove("Password");
 * int length = patch.apply(source, builder);             // result in builder.segment()
 * }</pre>
 *
 * <p><b>How the copy is made.</b> The source's value region is copied with one bulk copy and its name table is
 * kept, so every untouched value — however large — stays byte-for-byte where it was and is referenced, not
 * re-encoded. Only the tables of the edited objects (here the root and {@code @metadata}) and the new values are
 * written. Cost: one memcpy of the document plus work proportional to the edited objects' property counts. The old
 * tables of edited objects remain as unreferenced bytes (a few bytes per property); a document converted fresh
 * from JSON and then stamped once carries exactly one such leftover.
 *
 * <p><b>Order.</b> Replaced properties keep their place in the original order; new ones are appended in the order
 * they were first set; removed ones disappear. {@link #object(String)} edits the existing object of that name, or
 * creates one (appended) when the property is missing or is not an object. Setting a name twice keeps the last
 * setting. Not thread-safe.
 */
public final class BlitPatch {
    private static final int REMOVE = 0;
    private static final int STRING = 1;
    private static final int LONG = 2;
    private static final int DOUBLE = 3;
    private static final int BOOLEAN = 4;
    private static final int NULL = 5;
    private static final int OBJECT = 6;

    private static final class Op {
        String name;
        BlitKey key;
        int kind;
        CharSequence string;
        long longValue;
        double doubleValue;
        BlitPatch child;
        int matched;
        boolean done;
    }

    private final List<Op> ops = new ArrayList<>();
    private int size;
    private final BlitObject source = new BlitObject();

    /** Forgets all changes (keeps its storage for reuse). */
    public BlitPatch clear() {
        for (int i = 0; i < size; i++) {
            Op op = ops.get(i);
            op.string = null;
            if (op.child != null) {
                op.child.clear();
            }
        }
        size = 0;
        return this;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    public BlitPatch set(String name, CharSequence value) {
        if (value == null) {
            return setNull(name);
        }
        op(name, STRING).string = value;
        return this;
    }

    public BlitPatch set(String name, long value) {
        op(name, LONG).longValue = value;
        return this;
    }

    /** A finite double (stored as its shortest decimal form). */
    public BlitPatch set(String name, double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("JSON has no representation for " + value);
        }
        op(name, DOUBLE).doubleValue = value;
        return this;
    }

    public BlitPatch set(String name, boolean value) {
        op(name, BOOLEAN).longValue = value ? 1 : 0;
        return this;
    }

    public BlitPatch setNull(String name) {
        op(name, NULL);
        return this;
    }

    public BlitPatch remove(String name) {
        op(name, REMOVE);
        return this;
    }

    /** The patch of the nested object {@code name}; it is created in the copy if missing or not an object. */
    public BlitPatch object(String name) {
        for (int i = 0; i < size; i++) {
            Op op = ops.get(i);
            if (op.kind == OBJECT && op.name.equals(name)) {
                return op.child;
            }
        }
        Op op = op(name, OBJECT);
        if (op.child == null) {
            op.child = new BlitPatch();
        }
        return op.child.clear();
    }

    private Op op(String name, int kind) {
        Op op = null;
        for (int i = 0; i < size; i++) {
            if (ops.get(i).name.equals(name)) {
                op = ops.get(i);
                break;
            }
        }
        if (op == null) {
            if (size == ops.size()) {
                ops.add(new Op());
            }
            op = ops.get(size++);
            if (op.key == null || !op.key.name().equals(name)) {
                op.key = BlitKey.of(name);
            }
            op.name = name;
        }
        op.kind = kind;
        return op;
    }

    /**
     * Writes into {@code out} a copy of {@code source} (whose root must be an object) with this patch applied, and
     * finishes it. Returns the new document's length; the bytes are in {@code out.segment()}. {@code source} must not
     * live in {@code out}'s own buffer (e.g. the result of the same builder's previous document): use two builders.
     */
    public int apply(BlitDocument source, BlitBuilder out) {
        if (source.rootType() != BlitType.OBJECT) {
            throw new IllegalArgumentException("a patch applies to a document whose root is an object, not "
                    + source.rootType());
        }
        out.beginCopy(source);
        applyObject(out, source, source.rootPosition());
        return out.finish();
    }

    /** Emits, into the builder, this level's object: the source object at {@code position} (or none if < 0) edited. */
    private void applyObject(BlitBuilder b, BlitDocument doc, int position) {
        BlitObject src = position >= 0 ? source.wrap(doc, position) : null;
        for (int j = 0; j < size; j++) {
            Op op = ops.get(j);
            op.matched = src == null ? -1 : src.find(op.key);
            op.done = false;
        }
        b.startObject();
        int n = src == null ? 0 : src.length();
        for (int k = 0; k < n; k++) {
            int i = src.sortedIndex(k);
            Op op = null;
            for (int j = 0; j < size; j++) {
                if (ops.get(j).matched == i) {
                    op = ops.get(j);
                    break;
                }
            }
            if (op == null) {
                b.addEntry(src.nameId(i), src.valuePosition(i));
            } else {
                op.done = true;
                emit(b, doc, op, src.nameId(i), src.valuePosition(i));
            }
        }
        for (int j = 0; j < size; j++) {
            Op op = ops.get(j);
            if (!op.done && op.kind != REMOVE) {
                emit(b, doc, op, b.nameId(op.name), -1);
            }
        }
        b.endObject();
    }

    private static void emit(BlitBuilder b, BlitDocument doc, Op op, int nameId, int oldPosition) {
        if (op.kind == REMOVE) {
            return;
        }
        b.nameById(nameId);
        switch (op.kind) {
            case STRING -> b.value(op.string);
            case LONG -> b.value(op.longValue);
            case DOUBLE -> b.value(op.doubleValue);
            case BOOLEAN -> b.value(op.longValue != 0);
            case NULL -> b.nullValue();
            case OBJECT -> {
                boolean isObject = oldPosition >= 0
                        && (Bytes.u8(doc.segment(), doc.base() + oldPosition) & BlitFormat.TYPE_MASK)
                        == BlitFormat.TYPE_OBJECT;
                op.child.applyObject(b, doc, isObject ? oldPosition : -1);
            }
            default -> throw new IllegalStateException("unknown patch operation " + op.kind);
        }
    }
}

package dev.blitdb.blittable;

import java.util.ArrayList;
import java.util.List;

/**
 * A compiled path into documents, for indexing: {@code Address.City} (nested property), {@code Tags[]} (each item of
 * an array), {@code Lines[].Product} (a property of each item), {@code Matrix[][]} (items of nested arrays).
 * Segments are property names separated by {@code .}, each followed by zero or more {@code []}; names cannot contain
 * {@code .} or {@code [}.
 *
 * <p>{@link #forEach} visits every value the path reaches, in document order, through one reused
 * {@link BlitValue}: zero allocation. A property missing on the way, a {@code []} over a non-array and a name step
 * over a non-object reach nothing; a {@code null} value is reached (the visitor sees type NULL). A compiled path
 * keys its lookups with prepared {@link BlitKey}s and holds its own flyweights, so it is <b>not thread-safe</b>:
 * compile one per thread (cheap), e.g. one per index worker.
 */
public final class BlitPath {

    /** Receives each value reached; the flyweight is reused, copy what you need before returning. */
    @FunctionalInterface
    public interface Visitor {
        void accept(BlitValue value);
    }

    private final String text;
    private final BlitKey[] keys;
    private final int[] arrays;
    private final BlitObject[] objects;
    private final BlitValue[][] values;
    private final BlitArray[][] lists;

    private BlitPath(String text, BlitKey[] keys, int[] arrays) {
        this.text = text;
        this.keys = keys;
        this.arrays = arrays;
        int n = keys.length;
        objects = new BlitObject[n];
        values = new BlitValue[n][];
        lists = new BlitArray[n][];
        for (int i = 0; i < n; i++) {
            objects[i] = new BlitObject();
            values[i] = new BlitValue[arrays[i] + 1];
            lists[i] = new BlitArray[arrays[i]];
            for (int k = 0; k <= arrays[i]; k++) {
                values[i][k] = new BlitValue();
            }
            for (int k = 0; k < arrays[i]; k++) {
                lists[i][k] = new BlitArray();
            }
        }
    }

    /** Parses {@code path}; throws {@link IllegalArgumentException} on an empty segment or misplaced brackets. */
    public static BlitPath compile(String path) {
        List<BlitKey> keys = new ArrayList<>();
        List<Integer> arrays = new ArrayList<>();
        for (String segment : path.split("\\.", -1)) {
            int bracket = segment.indexOf('[');
            String name = bracket < 0 ? segment : segment.substring(0, bracket);
            String rest = bracket < 0 ? "" : segment.substring(bracket);
            if (name.isEmpty() || !rest.replace("[]", "").isEmpty() || name.indexOf(']') >= 0) {
                throw new IllegalArgumentException("bad path '" + path + "' at segment '" + segment
                        + "': expected Name, Name[] or Name[][]...");
            }
            keys.add(BlitKey.of(name));
            arrays.add(rest.length() / 2);
        }
        return new BlitPath(path, keys.toArray(new BlitKey[0]), arrays.stream().mapToInt(Integer::intValue).toArray());
    }

    /** Visits every value reached from the document's root object (nothing when the root is not an object). */
    public void forEach(BlitDocument doc, Visitor visitor) {
        if (doc.rootType() == BlitType.OBJECT) {
            forEach(doc.rootObject(objects[0]), visitor);
        }
    }

    /** Visits every value reached from {@code object}. */
    public void forEach(BlitObject object, Visitor visitor) {
        step(object, 0, visitor);
    }

    /** Points {@code into} at the first value reached; false when the path reaches nothing. */
    public boolean first(BlitDocument doc, BlitValue into) {
        found = false;
        target = into;
        forEach(doc, firstVisitor);
        target = null;
        return found;
    }

    private boolean found;
    private BlitValue target;
    private final Visitor firstVisitor = v -> {
        if (!found) {
            found = true;
            target.wrap(v.document(), v.position());
        }
    };

    private void step(BlitObject object, int i, Visitor visitor) {
        BlitValue v = values[i][0];
        if (object.get(keys[i], v)) {
            expand(v, i, 0, visitor);
        }
    }

    private void expand(BlitValue v, int i, int level, Visitor visitor) {
        if (level == arrays[i]) {
            if (i == keys.length - 1) {
                visitor.accept(v);
            } else if (v.type() == BlitType.OBJECT) {
                step(v.asObject(objects[i + 1]), i + 1, visitor);
            }
            return;
        }
        if (v.type() != BlitType.ARRAY) {
            return;
        }
        BlitArray list = v.asArray(lists[i][level]);
        BlitValue item = values[i][level + 1];
        for (int k = 0, n = list.length(); k < n; k++) {
            expand(list.get(k, item), i, level + 1, visitor);
        }
    }

    @Override
    public String toString() {
        return text;
    }
}

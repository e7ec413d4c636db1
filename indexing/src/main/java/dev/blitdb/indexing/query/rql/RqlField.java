package dev.blitdb.indexing.query.rql;

/**
 * A field as a query names it: a path into the document such as {@code Name}, {@code Address.City},
 * {@code Tags[]} or {@code Lines[].Product} (the same path syntax as index definitions).
 *
 * @param path   the path as written, with {@code []} for "each item"
 * @param offset where it starts in the query text (for error messages)
 */
public record RqlField(String path, int offset) {

    @Override
    public boolean equals(Object o) {
        return o instanceof RqlField other && other.path.equals(path); // position is not part of the value
    }

    @Override
    public int hashCode() {
        return path.hashCode();
    }
}

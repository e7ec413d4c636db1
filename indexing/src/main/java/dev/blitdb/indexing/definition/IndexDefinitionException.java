package dev.blitdb.indexing.definition;

/**
 * An index definition that cannot be used; the message names the index, the field and the problem. When the
 * problem is at a place in the definition's JSON, {@link #line()} and {@link #column()} say where (1-based; 0 when
 * the problem has no place, e.g. a missing field).
 */
public final class IndexDefinitionException extends RuntimeException {

    private final int line;
    private final int column;

    public IndexDefinitionException(String message) {
        this(message, 0, 0);
    }

    public IndexDefinitionException(String message, int line, int column) {
        super(message, null, false, false);
        this.line = line;
        this.column = column;
    }

    public int line() {
        return line;
    }

    public int column() {
        return column;
    }
}

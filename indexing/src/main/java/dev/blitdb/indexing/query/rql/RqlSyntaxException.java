package dev.blitdb.indexing.query.rql;

/**
 * A query text that is not valid RQL. The message names what was expected, what was found, and where: the
 * zero-based character {@link #offset()} and the one-based {@link #line()} and {@link #column()}.
 */
public final class RqlSyntaxException extends RuntimeException {

    private final int offset;
    private final int line;
    private final int column;

    RqlSyntaxException(String problem, String query, int offset) {
        this(problem, offset, lineOf(query, offset), columnOf(query, offset));
    }

    private RqlSyntaxException(String problem, int offset, int line, int column) {
        super(problem + " at line " + line + ", column " + column, null, false, false);
        this.offset = offset;
        this.line = line;
        this.column = column;
    }

    private static int lineOf(String query, int offset) {
        int line = 1;
        for (int i = 0; i < offset && i < query.length(); i++) {
            if (query.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }

    private static int columnOf(String query, int offset) {
        int lineStart = query.lastIndexOf('\n', Math.min(offset, query.length()) - 1) + 1;
        return offset - lineStart + 1;
    }

    public int offset() {
        return offset;
    }

    public int line() {
        return line;
    }

    public int column() {
        return column;
    }
}

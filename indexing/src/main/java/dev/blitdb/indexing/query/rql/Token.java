package dev.blitdb.indexing.query.rql;

/** One lexical token of a query: its kind, its text as written, and where it starts. */
record Token(Kind kind, String text, int offset) {

    enum Kind {
        IDENTIFIER, QUOTED_NAME, STRING, NUMBER, PARAMETER, LPAREN, RPAREN, COMMA, DOT, BRACKETS,
        EQ, NE, LT, LE, GT, GE, END
    }

    boolean isKeyword(String keyword) {
        return kind == Kind.IDENTIFIER && text.equalsIgnoreCase(keyword);
    }

    /** A name: a plain identifier or a back-quoted one (which is never a keyword). */
    boolean isName() {
        return kind == Kind.IDENTIFIER || kind == Kind.QUOTED_NAME;
    }

    String shown() {
        return switch (kind) {
            case END -> "the end of the query";
            case STRING -> "string '" + text + "'";
            case PARAMETER -> "'$" + text + "'";
            default -> "'" + text + "'";
        };
    }
}

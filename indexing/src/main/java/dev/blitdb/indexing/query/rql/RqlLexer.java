package dev.blitdb.indexing.query.rql;

/**
 * Splits a query into tokens. Strings are quoted with {@code '} or {@code "} and use backslash escapes
 * ({@code \'}, {@code \"}, {@code \\}, {@code \n}, {@code \t}, u followed by four hex digits); a doubled quote also stands
 * for one. Identifiers may be back-quoted ({@code `Weird Name`}) to use any characters or a keyword as a name.
 */
final class RqlLexer {

    private final String query;
    private int pos;

    RqlLexer(String query) {
        this.query = query;
    }

    /**
     * The next token; {@link Token.Kind#END} from then on once the text is used up. Tokens are made on demand
     * so that a grammar error before a lexical one is reported first, as a reader would expect.
     */
    Token next() {
        skipSpaceAndComments();
        if (pos >= query.length()) {
            return new Token(Token.Kind.END, "", pos);
        }
        int start = pos;
        char c = query.charAt(pos);
        switch (c) {
            case '(' -> {
                pos++;
                return new Token(Token.Kind.LPAREN, "(", start);
            }
            case ')' -> {
                pos++;
                return new Token(Token.Kind.RPAREN, ")", start);
            }
            case ',' -> {
                pos++;
                return new Token(Token.Kind.COMMA, ",", start);
            }
            case '.' -> {
                pos++;
                return new Token(Token.Kind.DOT, ".", start);
            }
            case '[' -> {
                if (pos + 1 < query.length() && query.charAt(pos + 1) == ']') {
                    pos += 2;
                    return new Token(Token.Kind.BRACKETS, "[]", start);
                }
                throw new RqlSyntaxException("expected '[]' (each item of an array)", query, start);
            }
            case '=' -> {
                pos += pos + 1 < query.length() && query.charAt(pos + 1) == '=' ? 2 : 1;
                return new Token(Token.Kind.EQ, query.substring(start, pos), start);
            }
            case '!' -> {
                if (pos + 1 < query.length() && query.charAt(pos + 1) == '=') {
                    pos += 2;
                    return new Token(Token.Kind.NE, "!=", start);
                }
                throw new RqlSyntaxException("expected '!=' (use 'not' to negate a condition)", query, start);
            }
            case '<' -> {
                if (pos + 1 < query.length() && query.charAt(pos + 1) == '=') {
                    pos += 2;
                    return new Token(Token.Kind.LE, "<=", start);
                }
                if (pos + 1 < query.length() && query.charAt(pos + 1) == '>') {
                    pos += 2;
                    return new Token(Token.Kind.NE, "<>", start);
                }
                pos++;
                return new Token(Token.Kind.LT, "<", start);
            }
            case '>' -> {
                if (pos + 1 < query.length() && query.charAt(pos + 1) == '=') {
                    pos += 2;
                    return new Token(Token.Kind.GE, ">=", start);
                }
                pos++;
                return new Token(Token.Kind.GT, ">", start);
            }
            case '\'', '"' -> {
                return new Token(Token.Kind.STRING, readString(c), start);
            }
            case '`' -> {
                int end = query.indexOf('`', pos + 1);
                if (end < 0) {
                    throw new RqlSyntaxException("unterminated `quoted name`", query, start);
                }
                if (end == pos + 1) {
                    throw new RqlSyntaxException("empty `quoted name`", query, start);
                }
                pos = end + 1;
                return new Token(Token.Kind.QUOTED_NAME, query.substring(start + 1, end), start);
            }
            case '$' -> {
                pos++;
                int nameStart = pos;
                while (pos < query.length() && isIdentifierPart(query.charAt(pos))) {
                    pos++;
                }
                if (pos == nameStart) {
                    throw new RqlSyntaxException("expected a parameter name after '$'", query, start);
                }
                return new Token(Token.Kind.PARAMETER, query.substring(nameStart, pos), start);
            }
            default -> {
                if (c == '-' || c == '+' || Character.isDigit(c)) {
                    return new Token(Token.Kind.NUMBER, readNumber(), start);
                }
                if (isIdentifierStart(c)) {
                    while (pos < query.length() && isIdentifierPart(query.charAt(pos))) {
                        pos++;
                    }
                    return new Token(Token.Kind.IDENTIFIER, query.substring(start, pos), start);
                }
                throw new RqlSyntaxException("unexpected character '" + c + "'", query, start);
            }
        }
    }

    private void skipSpaceAndComments() {
        while (pos < query.length()) {
            char c = query.charAt(pos);
            if (Character.isWhitespace(c)) {
                pos++;
            } else if (c == '/' && pos + 1 < query.length() && query.charAt(pos + 1) == '/') {
                while (pos < query.length() && query.charAt(pos) != '\n') {
                    pos++;
                }
            } else {
                return;
            }
        }
    }

    private String readString(char quote) {
        int start = pos;
        pos++;
        StringBuilder text = new StringBuilder();
        while (true) {
            if (pos >= query.length()) {
                throw new RqlSyntaxException("unterminated string", query, start);
            }
            char c = query.charAt(pos++);
            if (c == quote) {
                if (pos < query.length() && query.charAt(pos) == quote) {
                    text.append(quote);
                    pos++;
                    continue;
                }
                return text.toString();
            }
            if (c != '\\') {
                text.append(c);
                continue;
            }
            if (pos >= query.length()) {
                throw new RqlSyntaxException("unterminated string", query, start);
            }
            char e = query.charAt(pos++);
            switch (e) {
                case '\\', '\'', '"', '/' -> text.append(e);
                case 'n' -> text.append('\n');
                case 't' -> text.append('\t');
                case 'r' -> text.append('\r');
                case 'b' -> text.append('\b');
                case 'f' -> text.append('\f');
                case 'u' -> {
                    if (pos + 4 > query.length()) {
                        throw new RqlSyntaxException("expected 4 hex digits after \\u", query, pos - 2);
                    }
                    try {
                        text.append((char) Integer.parseInt(query.substring(pos, pos + 4), 16));
                    } catch (NumberFormatException ex) {
                        throw new RqlSyntaxException("expected 4 hex digits after \\u", query, pos - 2);
                    }
                    pos += 4;
                }
                default -> throw new RqlSyntaxException("unknown escape '\\" + e + "'", query, pos - 2);
            }
        }
    }

    private String readNumber() {
        int start = pos;
        if (query.charAt(pos) == '-' || query.charAt(pos) == '+') {
            pos++;
        }
        int digits = pos;
        while (pos < query.length() && Character.isDigit(query.charAt(pos))) {
            pos++;
        }
        if (pos < query.length() && query.charAt(pos) == '.') {
            pos++;
            while (pos < query.length() && Character.isDigit(query.charAt(pos))) {
                pos++;
            }
        }
        if (pos == digits || pos == digits + 1 && query.charAt(digits) == '.') {
            throw new RqlSyntaxException("expected a number", query, start);
        }
        if (pos < query.length() && (query.charAt(pos) == 'e' || query.charAt(pos) == 'E')) {
            pos++;
            if (pos < query.length() && (query.charAt(pos) == '-' || query.charAt(pos) == '+')) {
                pos++;
            }
            int exponent = pos;
            while (pos < query.length() && Character.isDigit(query.charAt(pos))) {
                pos++;
            }
            if (pos == exponent) {
                throw new RqlSyntaxException("expected digits in the number's exponent", query, start);
            }
        }
        if (pos < query.length() && isIdentifierPart(query.charAt(pos))) {
            throw new RqlSyntaxException("unexpected character '" + query.charAt(pos) + "' in a number", query, pos);
        }
        return query.substring(start, pos);
    }

    static boolean isIdentifierStart(char c) {
        return Character.isLetter(c) || c == '_' || c == '@';
    }

    static boolean isIdentifierPart(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '@' || c == '-';
    }
}

package dev.blitdb.indexing.query.rql;

import dev.blitdb.indexing.query.rql.RqlExpression.Operator;
import dev.blitdb.indexing.query.rql.RqlQuery.OrderBy;
import dev.blitdb.indexing.query.rql.RqlQuery.Projection;
import dev.blitdb.indexing.query.rql.RqlQuery.SortType;
import dev.blitdb.indexing.query.rql.Token.Kind;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A hand-written recursive-descent parser for BlitDB's RQL subset:
 *
 * <pre>
 * query      := 'from' source ['where' or] ['order' 'by' sortKey {',' sortKey}]
 *               ['select' projection {',' projection}] [page]
 * source     := 'index' STRING | NAME
 * or         := and {'or' and}
 * and        := unary {'and' unary}
 * unary      := 'not' unary | '(' or ')' | function | field condition
 * function   := 'startsWith' '(' field ',' value ')' | 'exists' '(' field ')' | 'search' '(' field ',' value ')'
 * condition  := op value | 'between' value 'and' value | 'in' '(' value {',' value} ')' | 'in' PARAMETER
 * field      := NAME {'.' NAME | '[]'}
 * sortKey    := field ['as' ('string' | 'long' | 'double' | 'number')] ['asc' | 'desc']
 * projection := field ['as' NAME]
 * page       := 'limit' value [',' value | 'offset' value] | 'offset' value ['limit' value]
 * value      := STRING | NUMBER | PARAMETER | 'true' | 'false' | 'null'
 * </pre>
 *
 * Keywords are case-insensitive. {@code limit a, b} means "skip a, take b". Every error names what was
 * expected, what was found, and its line and column.
 */
public final class RqlParser {

    private final String query;
    private final RqlLexer lexer;
    private final List<Token> tokens = new ArrayList<>();
    private int index;

    private RqlParser(String query) {
        this.query = query;
        this.lexer = new RqlLexer(query);
    }

    /** Parses {@code query}; throws {@link RqlSyntaxException} pointing at the first problem. */
    public static RqlQuery parse(String query) {
        if (query == null || query.isBlank()) {
            throw new RqlSyntaxException("the query is empty; it starts with 'from <collection>'", "", 0);
        }
        return new RqlParser(query).query();
    }

    private RqlQuery query() {
        expectKeyword("from", "a query starts with 'from <collection>' or 'from index <name>'");
        RqlQuery.Source source = source();
        Optional<RqlExpression> where = Optional.empty();
        if (acceptKeyword("where")) {
            where = Optional.of(or());
        }
        List<OrderBy> orderBy = new ArrayList<>();
        if (acceptKeyword("order")) {
            expectKeyword("by", "expected 'by' after 'order'");
            do {
                orderBy.add(sortKey());
            } while (accept(Kind.COMMA));
        }
        List<Projection> select = new ArrayList<>();
        if (acceptKeyword("select")) {
            do {
                select.add(projection());
            } while (accept(Kind.COMMA));
        }
        Optional<RqlValue> limit = Optional.empty();
        Optional<RqlValue> offset = Optional.empty();
        if (acceptKeyword("limit")) {
            RqlValue first = pageValue();
            if (accept(Kind.COMMA)) {
                offset = Optional.of(first);
                limit = Optional.of(pageValue());
            } else {
                limit = Optional.of(first);
                if (acceptKeyword("offset")) {
                    offset = Optional.of(pageValue());
                }
            }
        } else if (acceptKeyword("offset")) {
            offset = Optional.of(pageValue());
            if (acceptKeyword("limit")) {
                limit = Optional.of(pageValue());
            }
        }
        if (peek().kind() != Kind.END) {
            throw error("expected 'where', 'order by', 'select', 'limit' or the end of the query");
        }
        return new RqlQuery(source, where, orderBy, limit, offset, select);
    }

    private RqlQuery.Source source() {
        if (peek().isKeyword("index") && (peekAt(1).kind() == Kind.STRING || peekAt(1).isName())) {
            index++;
            Token name = next();
            return new RqlQuery.Index(name.text());
        }
        Token name = peek();
        if (name.isName() || name.kind() == Kind.STRING) {
            index++;
            return new RqlQuery.Collection(name.text());
        }
        throw error("expected a collection name or 'index <name>' after 'from'");
    }

    private RqlExpression or() {
        List<RqlExpression> terms = new ArrayList<>();
        terms.add(and());
        while (acceptKeyword("or")) {
            terms.add(and());
        }
        return terms.size() == 1 ? terms.getFirst() : new RqlExpression.Or(terms);
    }

    private RqlExpression and() {
        List<RqlExpression> terms = new ArrayList<>();
        terms.add(unary());
        while (acceptKeyword("and")) {
            terms.add(unary());
        }
        return terms.size() == 1 ? terms.getFirst() : new RqlExpression.And(terms);
    }

    private RqlExpression unary() {
        if (acceptKeyword("not")) {
            return new RqlExpression.Not(unary());
        }
        if (accept(Kind.LPAREN)) {
            RqlExpression inner = or();
            expect(Kind.RPAREN, "expected ')' to close the '('");
            return inner;
        }
        Token head = peek();
        if (head.kind() == Kind.IDENTIFIER && peekAt(1).kind() == Kind.LPAREN) {
            return function();
        }
        RqlField field = field("expected a field name, '(', 'not' or a function (startsWith, exists, search)");
        return condition(field);
    }

    private RqlExpression function() {
        Token name = next();
        expect(Kind.LPAREN, "expected '('");
        String function = name.text().toLowerCase(java.util.Locale.ROOT);
        RqlExpression result = switch (function) {
            case "startswith" -> {
                RqlField field = field("expected the field startsWith looks at");
                expect(Kind.COMMA, "expected ',' and the prefix after the field");
                yield new RqlExpression.StartsWith(field, value());
            }
            case "exists" -> new RqlExpression.Exists(field("expected the field exists() looks for"));
            case "search" -> {
                RqlField field = field("expected the field search() looks in");
                expect(Kind.COMMA, "expected ',' and the words to search for after the field");
                yield new RqlExpression.Search(field, value());
            }
            default -> throw new RqlSyntaxException("unknown function '" + name.text()
                    + "'; the functions are startsWith, exists and search", query, name.offset());
        };
        expect(Kind.RPAREN, "expected ')' to close " + name.text() + "(");
        return result;
    }

    private RqlExpression condition(RqlField field) {
        Token op = peek();
        Operator operator = switch (op.kind()) {
            case EQ -> Operator.EQUAL;
            case NE -> Operator.NOT_EQUAL;
            case LT -> Operator.LESS;
            case LE -> Operator.LESS_OR_EQUAL;
            case GT -> Operator.GREATER;
            case GE -> Operator.GREATER_OR_EQUAL;
            default -> null;
        };
        if (operator != null) {
            index++;
            return new RqlExpression.Comparison(field, operator, value());
        }
        if (acceptKeyword("between")) {
            RqlValue low = value();
            expectKeyword("and", "expected 'and' between the two ends of 'between'");
            return new RqlExpression.Between(field, low, value());
        }
        if (acceptKeyword("in")) {
            if (peek().kind() == Kind.PARAMETER) {
                return new RqlExpression.In(field, List.of(value()));
            }
            expect(Kind.LPAREN, "expected '(' and a list of values after 'in'");
            List<RqlValue> values = new ArrayList<>();
            do {
                values.add(value());
            } while (accept(Kind.COMMA));
            expect(Kind.RPAREN, "expected ',' or ')' in the 'in' list");
            return new RqlExpression.In(field, values);
        }
        throw error("expected an operator (=, !=, <, <=, >, >=), 'between' or 'in' after field '"
                + field.path() + "'");
    }

    private RqlField field(String expectation) {
        Token first = peek();
        if (!first.isName()) {
            throw error(expectation);
        }
        index++;
        StringBuilder path = new StringBuilder(first.text());
        while (true) {
            if (peek().kind() == Kind.BRACKETS) {
                index++;
                path.append("[]");
            } else if (peek().kind() == Kind.DOT) {
                index++;
                Token part = peek();
                if (!part.isName()) {
                    throw error("expected a field name after '.'");
                }
                index++;
                path.append('.').append(part.text());
            } else {
                return new RqlField(path.toString(), first.offset());
            }
        }
    }

    private OrderBy sortKey() {
        RqlField field = field("expected a field to order by");
        SortType type = SortType.DEFAULT;
        if (acceptKeyword("as")) {
            Token t = peek();
            type = switch (t.kind() == Kind.IDENTIFIER ? t.text().toLowerCase(java.util.Locale.ROOT) : "") {
                case "string", "alphanumeric" -> SortType.STRING;
                case "long", "double", "number" -> SortType.NUMBER;
                default -> throw error("expected 'string', 'long', 'double' or 'number' after 'as'");
            };
            index++;
        }
        boolean descending = false;
        if (acceptKeyword("desc") || acceptKeyword("descending")) {
            descending = true;
        } else if (!acceptKeyword("asc")) {
            acceptKeyword("ascending");
        }
        return new OrderBy(field, descending, type);
    }

    private Projection projection() {
        RqlField field = field("expected a field to select");
        String alias = null;
        if (acceptKeyword("as")) {
            Token name = peek();
            if (!name.isName() && name.kind() != Kind.STRING) {
                throw error("expected a name after 'as'");
            }
            index++;
            alias = name.text();
        }
        return new Projection(field, alias);
    }

    private RqlValue pageValue() {
        Token t = peek();
        RqlValue value = value();
        if (value instanceof RqlValue.Literal(Object v) && !(v instanceof Long n && n >= 0)) {
            throw new RqlSyntaxException("expected a whole number ≥ 0 or a $parameter", query, t.offset());
        }
        return value;
    }

    private RqlValue value() {
        Token t = peek();
        switch (t.kind()) {
            case STRING -> {
                index++;
                return new RqlValue.Literal(t.text());
            }
            case NUMBER -> {
                index++;
                return new RqlValue.Literal(number(t));
            }
            case PARAMETER -> {
                index++;
                return new RqlValue.Parameter(t.text(), t.offset());
            }
            case IDENTIFIER -> {
                String word = t.text().toLowerCase(java.util.Locale.ROOT);
                if (word.equals("true") || word.equals("false")) {
                    index++;
                    return new RqlValue.Literal(word.equals("true"));
                }
                if (word.equals("null")) {
                    index++;
                    return new RqlValue.Literal(null);
                }
            }
            default -> {
            }
        }
        throw error("expected a value: a 'string', a number, true, false, null or a $parameter");
    }

    private Object number(Token t) {
        String text = t.text();
        boolean integral = text.indexOf('.') < 0 && text.indexOf('e') < 0 && text.indexOf('E') < 0;
        if (integral) {
            try {
                return Long.parseLong(text.startsWith("+") ? text.substring(1) : text);
            } catch (NumberFormatException beyondLong) {
                // fall through: kept as a double
            }
        }
        double d = Double.parseDouble(text);
        if (Double.isInfinite(d)) {
            throw new RqlSyntaxException("number " + text + " is too large", query, t.offset());
        }
        return d;
    }

    private Token peek() {
        return peekAt(0);
    }

    private Token peekAt(int ahead) {
        while (tokens.size() <= index + ahead) {
            if (!tokens.isEmpty() && tokens.getLast().kind() == Kind.END) {
                return tokens.getLast();
            }
            tokens.add(lexer.next());
        }
        return tokens.get(index + ahead);
    }

    private Token next() {
        Token t = peek();
        index++;
        return t;
    }

    private boolean accept(Kind kind) {
        if (peek().kind() == kind) {
            index++;
            return true;
        }
        return false;
    }

    private boolean acceptKeyword(String keyword) {
        if (peek().isKeyword(keyword)) {
            index++;
            return true;
        }
        return false;
    }

    private void expect(Kind kind, String expectation) {
        if (!accept(kind)) {
            throw error(expectation);
        }
    }

    private void expectKeyword(String keyword, String expectation) {
        if (!acceptKeyword(keyword)) {
            throw error(expectation);
        }
    }

    private RqlSyntaxException error(String expectation) {
        Token found = peek();
        return new RqlSyntaxException(expectation + ", found " + found.shown(), query, found.offset());
    }
}

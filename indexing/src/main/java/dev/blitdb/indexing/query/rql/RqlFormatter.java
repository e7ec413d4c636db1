package dev.blitdb.indexing.query.rql;

import java.util.Locale;
import java.util.Set;

/**
 * Writes a parsed query back as canonical RQL text: keywords in lower case, strings in single quotes, nested
 * {@code and}/{@code or} groups in parentheses. Parsing the output gives back an equal {@link RqlQuery}; it is
 * used for auto-index names, logs and the tests that hold the parser to that promise.
 */
public final class RqlFormatter {

    private static final Set<String> RESERVED = Set.of("from", "index", "where", "order", "by", "select", "limit",
            "offset", "and", "or", "not", "between", "in", "true", "false", "null", "as", "asc", "desc",
            "ascending", "descending");

    private RqlFormatter() {
    }

    public static String format(RqlQuery query) {
        StringBuilder out = new StringBuilder("from ");
        switch (query.source()) {
            case RqlQuery.Collection c -> name(out, c.name());
            case RqlQuery.Index i -> string(out.append("index "), i.name());
        }
        query.where().ifPresent(where -> expression(out.append(" where "), where, false));
        if (!query.orderBy().isEmpty()) {
            out.append(" order by ");
            for (int i = 0; i < query.orderBy().size(); i++) {
                var key = query.orderBy().get(i);
                field(out.append(i == 0 ? "" : ", "), key.field());
                switch (key.type()) {
                    case STRING -> out.append(" as string");
                    case NUMBER -> out.append(" as number");
                    case DEFAULT -> {
                    }
                }
                if (key.descending()) {
                    out.append(" desc");
                }
            }
        }
        if (!query.select().isEmpty()) {
            out.append(" select ");
            for (int i = 0; i < query.select().size(); i++) {
                var projection = query.select().get(i);
                field(out.append(i == 0 ? "" : ", "), projection.field());
                if (projection.alias() != null) {
                    name(out.append(" as "), projection.alias());
                }
            }
        }
        query.limit().ifPresent(limit -> value(out.append(" limit "), limit));
        query.offset().ifPresent(offset -> value(out.append(" offset "), offset));
        return out.toString();
    }

    public static String format(RqlExpression expression) {
        StringBuilder out = new StringBuilder();
        expression(out, expression, false);
        return out.toString();
    }

    private static void expression(StringBuilder out, RqlExpression e, boolean nested) {
        switch (e) {
            case RqlExpression.And and -> group(out, and.terms(), " and ", nested);
            case RqlExpression.Or or -> group(out, or.terms(), " or ", nested);
            case RqlExpression.Not not -> expression(out.append("not "), not.term(), true);
            case RqlExpression.Comparison c -> value(field(out, c.field()).append(' ')
                    .append(c.operator().symbol()).append(' '), c.value());
            case RqlExpression.Between b -> value(value(field(out, b.field()).append(" between "), b.low())
                    .append(" and "), b.high());
            case RqlExpression.In in -> {
                field(out, in.field()).append(" in ");
                if (in.values().size() == 1 && in.values().getFirst() instanceof RqlValue.Parameter p) {
                    value(out, p);
                    return;
                }
                out.append('(');
                for (int i = 0; i < in.values().size(); i++) {
                    value(out.append(i == 0 ? "" : ", "), in.values().get(i));
                }
                out.append(')');
            }
            case RqlExpression.StartsWith s -> value(field(out.append("startsWith("), s.field()).append(", "),
                    s.prefix()).append(')');
            case RqlExpression.Exists x -> field(out.append("exists("), x.field()).append(')');
            case RqlExpression.Search s -> value(field(out.append("search("), s.field()).append(", "), s.text())
                    .append(')');
        }
    }

    private static void group(StringBuilder out, java.util.List<RqlExpression> terms, String joiner,
                              boolean nested) {
        if (nested) {
            out.append('(');
        }
        for (int i = 0; i < terms.size(); i++) {
            expression(out.append(i == 0 ? "" : joiner), terms.get(i), true);
        }
        if (nested) {
            out.append(')');
        }
    }

    private static StringBuilder field(StringBuilder out, RqlField field) {
        String path = field.path();
        int start = 0;
        for (int i = 0; i <= path.length(); i++) {
            boolean end = i == path.length();
            char c = end ? 0 : path.charAt(i);
            if (end || c == '.' || c == '[') {
                if (i > start) {
                    name(out, path.substring(start, i));
                }
                if (!end) {
                    if (c == '[') {
                        out.append("[]");
                        i++;
                    } else {
                        out.append('.');
                    }
                }
                start = i + 1;
            }
        }
        return out;
    }

    private static void name(StringBuilder out, String name) {
        boolean plain = !name.isEmpty() && RqlLexer.isIdentifierStart(name.charAt(0))
                && !RESERVED.contains(name.toLowerCase(Locale.ROOT));
        for (int i = 1; plain && i < name.length(); i++) {
            plain = RqlLexer.isIdentifierPart(name.charAt(i));
        }
        if (plain) {
            out.append(name);
        } else {
            out.append('`').append(name).append('`');
        }
    }

    private static StringBuilder value(StringBuilder out, RqlValue value) {
        switch (value) {
            case RqlValue.Parameter p -> out.append('$').append(p.name());
            case RqlValue.Literal(String s) -> string(out, s);
            case RqlValue.Literal(Double d) -> out.append(d.toString());
            case RqlValue.Literal l -> out.append(l.value());
        }
        return out;
    }

    private static void string(StringBuilder out, String s) {
        out.append('\'');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\'' -> out.append("\\'");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> out.append(c);
            }
        }
        out.append('\'');
    }
}

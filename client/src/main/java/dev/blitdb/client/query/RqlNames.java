package dev.blitdb.client.query;

import java.util.Locale;
import java.util.Set;

/**
 * Field paths and names as RQL text. A segment that is not a plain identifier, or that is one of RQL's words
 * (including the function names, so {@code exists = $p0} cannot be misread), is back-quoted. Back quotes cannot be
 * escaped inside a quoted name, so a name containing one is refused rather than sent wrongly.
 */
final class RqlNames {

    private static final Set<String> WORDS = Set.of("from", "where", "and", "or", "not", "order", "by", "asc",
            "desc", "select", "as", "limit", "offset", "between", "in", "index", "true", "false", "null", "string",
            "long", "double", "number", "startswith", "exists", "search", "include", "load", "group", "update");

    private RqlNames() {
    }

    /** {@code Address.City}, {@code Tags[]}, {@code `Weird Name`.Sub} from a JSON path. */
    static String path(String jsonPath) {
        if (jsonPath.isEmpty()) {
            throw new IllegalArgumentException("a field name cannot be empty");
        }
        StringBuilder out = new StringBuilder(jsonPath.length() + 4);
        String[] parts = jsonPath.split("\\.", -1);
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            boolean array = part.endsWith("[]");
            if (i > 0) {
                out.append('.');
            }
            out.append(name(array ? part.substring(0, part.length() - 2) : part));
            if (array) {
                out.append("[]");
            }
        }
        return out.toString();
    }

    /** One name, back-quoted when it has to be. */
    static String name(String name) {
        if (name.isEmpty()) {
            throw new IllegalArgumentException("empty segment in a field path");
        }
        if (isPlain(name)) {
            return name;
        }
        if (name.indexOf('`') >= 0) {
            throw new IllegalArgumentException("field name '" + name + "' contains a back quote, which RQL cannot "
                    + "express; rename the property (@JsonProperty) to query on it");
        }
        return "`" + name + "`";
    }

    private static boolean isPlain(String name) {
        if (WORDS.contains(name.toLowerCase(Locale.ROOT))) {
            return false;
        }
        char first = name.charAt(0);
        if (!(Character.isLetter(first) || first == '_' || first == '@')) {
            return false;
        }
        for (int i = 1; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(Character.isLetterOrDigit(c) || c == '_')) {
                return false;
            }
        }
        return first != '@';
    }

    /** An index name as an RQL string literal. */
    static String quoteString(String s) {
        return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}

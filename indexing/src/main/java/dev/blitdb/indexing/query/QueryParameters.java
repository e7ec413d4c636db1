package dev.blitdb.indexing.query;

import dev.blitdb.indexing.query.rql.RqlValue;

import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code $parameters} of one query, by name without the {@code $}. Values are {@code String}, {@code Long},
 * {@code Double}, {@code Boolean}, {@code null}, or a {@code List} of those (for {@code in $list}).
 */
public final class QueryParameters {

    public static final QueryParameters NONE = new QueryParameters(Map.of());

    private final Map<String, Object> values;

    private QueryParameters(Map<String, Object> values) {
        this.values = values;
    }

    public static QueryParameters of(Map<String, ?> values) {
        Map<String, Object> copy = new HashMap<>();
        values.forEach((name, value) -> copy.put(name, check(name, value)));
        return new QueryParameters(Collections.unmodifiableMap(copy));
    }

    private static Object check(String name, Object value) {
        if (value == null || value instanceof String || value instanceof Long || value instanceof Double
                || value instanceof Boolean) {
            return value;
        }
        if (value instanceof Integer i) {
            return i.longValue();
        }
        if (value instanceof List<?> list) {
            for (Object item : list) {
                if (item instanceof List<?>) {
                    throw new QueryException("parameter $" + name + " holds a list inside a list");
                }
                check(name, item);
            }
            return list.stream().map(item -> item instanceof Integer i ? (Object) i.longValue() : item).toList();
        }
        throw new QueryException("parameter $" + name + " has a value of type " + value.getClass().getSimpleName()
                + "; use strings, numbers, booleans, null or lists of them");
    }

    /** The value of {@code value}: the literal itself, or the bound parameter. */
    public Object resolve(RqlValue value) {
        return switch (value) {
            case RqlValue.Literal literal -> literal.value();
            case RqlValue.Parameter parameter -> {
                if (!values.containsKey(parameter.name())) {
                    throw new QueryException("parameter $" + parameter.name() + " is used but not given in "
                            + "QueryParameters");
                }
                yield values.get(parameter.name());
            }
        };
    }
}

package dev.blitdb.indexing.query.rql;

/** A value in a query: written in the text, or a {@code $parameter} bound from the request's parameters. */
public sealed interface RqlValue permits RqlValue.Literal, RqlValue.Parameter {

    /**
     * A literal: a {@link String}, a {@link Long} (integers that fit), a {@link Double}, a {@link Boolean}, or
     * {@code null}. Numbers beyond a long are kept as doubles.
     */
    record Literal(Object value) implements RqlValue {
        public Literal {
            if (value != null && !(value instanceof String || value instanceof Long || value instanceof Double
                    || value instanceof Boolean)) {
                throw new IllegalArgumentException("not an RQL literal: " + value.getClass().getName());
            }
        }
    }

    /** {@code $name}: looked up in the query's parameters when it runs. */
    record Parameter(String name, int offset) implements RqlValue {
        @Override
        public boolean equals(Object o) {
            return o instanceof Parameter other && other.name.equals(name);
        }

        @Override
        public int hashCode() {
            return name.hashCode();
        }
    }
}

package dev.blitdb.indexing.query.rql;

import java.util.List;

/** A filter condition. The set is closed: the query planner handles each kind exhaustively. */
public sealed interface RqlExpression {

    /** {@code a and b and ...}: all must hold. */
    record And(List<RqlExpression> terms) implements RqlExpression {
        public And {
            terms = List.copyOf(terms);
        }
    }

    /** {@code a or b or ...}: at least one must hold. */
    record Or(List<RqlExpression> terms) implements RqlExpression {
        public Or {
            terms = List.copyOf(terms);
        }
    }

    /** {@code not a}. */
    record Not(RqlExpression term) implements RqlExpression {
    }

    /** The comparison operators. */
    enum Operator {
        EQUAL("="), NOT_EQUAL("!="), LESS("<"), LESS_OR_EQUAL("<="), GREATER(">"), GREATER_OR_EQUAL(">=");

        private final String symbol;

        Operator(String symbol) {
            this.symbol = symbol;
        }

        public String symbol() {
            return symbol;
        }
    }

    /** {@code Field op value}. */
    record Comparison(RqlField field, Operator operator, RqlValue value) implements RqlExpression {
    }

    /** {@code Field between low and high}: both ends included. */
    record Between(RqlField field, RqlValue low, RqlValue high) implements RqlExpression {
    }

    /** {@code Field in (a, b, ...)}; a single {@code $parameter} may also hold a list. */
    record In(RqlField field, List<RqlValue> values) implements RqlExpression {
        public In {
            values = List.copyOf(values);
        }
    }

    /** {@code startsWith(Field, prefix)}. */
    record StartsWith(RqlField field, RqlValue prefix) implements RqlExpression {
    }

    /** {@code exists(Field)}: the field's path reaches at least one value in the document, null included. */
    record Exists(RqlField field) implements RqlExpression {
    }

    /** {@code search(Field, 'words')}: full-text match of any of the analysed words. */
    record Search(RqlField field, RqlValue text) implements RqlExpression {
    }
}

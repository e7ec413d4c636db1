package dev.blitdb.indexing.query.rql;

import dev.blitdb.indexing.query.rql.RqlExpression.Operator;
import dev.blitdb.indexing.query.rql.RqlQuery.OrderBy;
import dev.blitdb.indexing.query.rql.RqlQuery.Projection;
import dev.blitdb.indexing.query.rql.RqlQuery.SortType;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Property: for random queries, parse(format(q)) equals q, and formatting is stable. */
class RqlRoundTripTest {

    private static final String[] NAMES = {"Age", "Name", "order", "not", "Tags", "@collection", "a_b", "Ünï", "x-y"};
    private static final String[] STRINGS = {"", "Ann", "it's", "back\\slash", "line\nbreak", "\"dq\"", "日本"};

    @Test
    void shouldRoundTripRandomQueries() {
        SplittableRandom random = new SplittableRandom(20261122);
        for (int i = 0; i < 5_000; i++) {
            RqlQuery query = query(random);
            String text = RqlFormatter.format(query);
            RqlQuery parsed;
            try {
                parsed = RqlParser.parse(text);
            } catch (RqlSyntaxException e) {
                throw new AssertionError("case " + i + ": " + text, e);
            }
            assertEquals(query, parsed, "case " + i + ": " + text);
            assertEquals(text, RqlFormatter.format(parsed), "case " + i);
        }
    }

    private static RqlQuery query(SplittableRandom r) {
        RqlQuery.Source source = r.nextBoolean() ? new RqlQuery.Collection(pick(r, NAMES))
                : new RqlQuery.Index(pick(r, STRINGS) + "/By" + pick(r, NAMES));
        Optional<RqlExpression> where = r.nextInt(4) == 0 ? Optional.empty() : Optional.of(expression(r, 0));
        List<OrderBy> order = new ArrayList<>();
        for (int i = r.nextInt(3); i > 0; i--) {
            order.add(new OrderBy(field(r), r.nextBoolean(), SortType.values()[r.nextInt(3)]));
        }
        List<Projection> select = new ArrayList<>();
        for (int i = r.nextInt(3); i > 0; i--) {
            select.add(new Projection(field(r), r.nextBoolean() ? null : pick(r, NAMES)));
        }
        Optional<RqlValue> limit = r.nextBoolean() ? Optional.empty() : Optional.of(page(r));
        Optional<RqlValue> offset = r.nextBoolean() ? Optional.empty() : Optional.of(page(r));
        return new RqlQuery(source, where, order, limit, offset, select);
    }

    private static RqlValue page(SplittableRandom r) {
        return r.nextBoolean() ? new RqlValue.Literal((long) r.nextInt(1000)) : new RqlValue.Parameter("p" + r.nextInt(9), 0);
    }

    private static RqlExpression expression(SplittableRandom r, int depth) {
        int kind = r.nextInt(depth > 3 ? 6 : 9);
        return switch (kind) {
            case 0 -> new RqlExpression.Comparison(field(r), Operator.values()[r.nextInt(6)], value(r));
            case 1 -> new RqlExpression.Between(field(r), value(r), value(r));
            case 2 -> {
                List<RqlValue> values = new ArrayList<>();
                for (int i = 1 + r.nextInt(4); i > 0; i--) {
                    values.add(value(r));
                }
                yield new RqlExpression.In(field(r), values);
            }
            case 3 -> new RqlExpression.StartsWith(field(r), value(r));
            case 4 -> new RqlExpression.Exists(field(r));
            case 5 -> new RqlExpression.Search(field(r), value(r));
            case 6 -> new RqlExpression.Not(expression(r, depth + 1));
            default -> {
                List<RqlExpression> terms = new ArrayList<>();
                for (int i = 2 + r.nextInt(3); i > 0; i--) {
                    terms.add(expression(r, depth + 1));
                }
                yield kind == 7 ? new RqlExpression.And(terms) : new RqlExpression.Or(terms);
            }
        };
    }

    private static RqlField field(SplittableRandom r) {
        StringBuilder path = new StringBuilder(pick(r, NAMES));
        for (int i = r.nextInt(3); i > 0; i--) {
            if (r.nextBoolean()) {
                path.append("[]");
            }
            path.append('.').append(pick(r, NAMES));
        }
        if (r.nextInt(4) == 0) {
            path.append("[]");
        }
        return new RqlField(path.toString(), 0);
    }

    private static RqlValue value(SplittableRandom r) {
        return switch (r.nextInt(7)) {
            case 0 -> new RqlValue.Literal(pick(r, STRINGS));
            case 1 -> new RqlValue.Literal(r.nextLong());
            case 2 -> new RqlValue.Literal(r.nextDouble() * Math.pow(10, r.nextInt(-300, 300)) * (r.nextBoolean() ? 1 : -1));
            case 3 -> new RqlValue.Literal(r.nextBoolean());
            case 4 -> new RqlValue.Literal(null);
            default -> new RqlValue.Parameter("p" + r.nextInt(20), 0);
        };
    }

    private static String pick(SplittableRandom r, String[] values) {
        return values[r.nextInt(values.length)];
    }
}

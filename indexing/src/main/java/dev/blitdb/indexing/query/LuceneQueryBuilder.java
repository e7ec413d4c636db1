package dev.blitdb.indexing.query;

import dev.blitdb.indexing.definition.FieldType;
import dev.blitdb.indexing.definition.IndexDefinition;
import dev.blitdb.indexing.definition.IndexField;
import dev.blitdb.indexing.lucene.InternalFields;
import dev.blitdb.indexing.query.rql.RqlExpression;
import dev.blitdb.indexing.query.rql.RqlField;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.document.DoubleField;
import org.apache.lucene.document.DoublePoint;
import org.apache.lucene.document.KeywordField;
import org.apache.lucene.document.LongField;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.FieldExistsQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.PrefixQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TermRangeQuery;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Translates an RQL filter into a Lucene query over one index. The semantics, which the oracle test holds it to:
 *
 * <ul>
 *   <li>A condition on a multi-valued field holds when it holds for <em>any</em> of the document's values.</li>
 *   <li>{@code a != v} is {@code not (a = v)}: it also matches documents without {@code a}. {@code not c} matches
 *       every document of the index for which {@code c} does not hold.</li>
 *   <li>{@code Keyword} fields compare as strings (by UTF-8 bytes); numbers and booleans in the query are compared
 *       as their text. {@code Long} and {@code Double} compare numerically, {@code -0.0 < 0.0}; a fractional
 *       bound on a {@code Long} field is rounded the way that keeps the condition exact.</li>
 *   <li>{@code Field = null} matches documents whose value is JSON {@code null}; {@code exists(Field)} matches
 *       documents where the path exists, null included.</li>
 *   <li>{@code Text} fields answer only {@code search()}, which matches documents holding any of the analysed
 *       words; {@code search()} is not allowed on other types. Ranges are not allowed on {@code Boolean} or
 *       {@code Text}; a comparison with a value of the wrong kind is a {@link QueryException}.</li>
 * </ul>
 */
public final class LuceneQueryBuilder {

    private final IndexDefinition index;
    private final QueryParameters parameters;
    private final Analyzer analyzer;

    public LuceneQueryBuilder(IndexDefinition index, QueryParameters parameters, Analyzer analyzer) {
        this.index = index;
        this.parameters = parameters;
        this.analyzer = analyzer;
    }

    /** The index field a query names: exact name first, then ignoring case. */
    public static IndexField field(IndexDefinition index, RqlField field) {
        IndexField exact = index.fields().get(field.path());
        if (exact != null) {
            return exact;
        }
        for (IndexField candidate : index.fields().values()) {
            if (candidate.name().equalsIgnoreCase(field.path())) {
                return candidate;
            }
        }
        throw new QueryException("index '" + index.name() + "' has no field '" + field.path() + "'; its fields are "
                + String.join(", ", index.fields().keySet()));
    }

    public Query build(RqlExpression expression) {
        return switch (expression) {
            case RqlExpression.And and -> {
                var builder = new BooleanQuery.Builder();
                for (RqlExpression term : and.terms()) {
                    builder.add(build(term), Occur.FILTER);
                }
                yield builder.build();
            }
            case RqlExpression.Or or -> {
                var builder = new BooleanQuery.Builder();
                for (RqlExpression term : or.terms()) {
                    builder.add(build(term), Occur.SHOULD);
                }
                yield builder.setMinimumNumberShouldMatch(1).build();
            }
            case RqlExpression.Not not -> not(build(not.term()));
            case RqlExpression.Comparison c -> comparison(field(index, c.field()), c.operator(),
                    parameters.resolve(c.value()));
            case RqlExpression.Between b -> {
                IndexField f = field(index, b.field());
                yield range(f, parameters.resolve(b.low()), true, parameters.resolve(b.high()), true, "between");
            }
            case RqlExpression.In in -> {
                IndexField f = field(index, in.field());
                List<Object> values = new ArrayList<>();
                for (var value : in.values()) {
                    Object resolved = parameters.resolve(value);
                    if (resolved instanceof List<?> list) {
                        values.addAll(list);
                    } else {
                        values.add(resolved);
                    }
                }
                if (values.size() > IndexSearcher.getMaxClauseCount()) {
                    throw new QueryException("'in' on field '" + f.name() + "' has " + values.size()
                            + " values; the limit is " + IndexSearcher.getMaxClauseCount());
                }
                var builder = new BooleanQuery.Builder();
                for (Object value : values) {
                    builder.add(equal(f, value), Occur.SHOULD);
                }
                yield values.isEmpty() ? new MatchNoDocsQuery("empty in list")
                        : builder.setMinimumNumberShouldMatch(1).build();
            }
            case RqlExpression.StartsWith s -> startsWith(field(index, s.field()), parameters.resolve(s.prefix()));
            case RqlExpression.Exists e -> exists(field(index, e.field()));
            case RqlExpression.Search s -> search(field(index, s.field()), parameters.resolve(s.text()));
        };
    }

    /**
     * {@code exists(F)}: the entry has F's {@code exists} marker — written only where F has no doc value (a null, a
     * Text value, a value an automatic index skipped) — or F's doc values. Indexes written before the marker was
     * narrowed carry it for every value, which matches the same entries.
     */
    private static Query exists(IndexField f) {
        Query marker = new TermQuery(new Term(InternalFields.EXISTS, f.name()));
        if (f.type() == FieldType.TEXT) {
            return marker; // Text values have no doc values: every one has the marker
        }
        return new BooleanQuery.Builder().add(marker, Occur.SHOULD).add(new FieldExistsQuery(f.name()), Occur.SHOULD)
                .build();
    }

    private static Query not(Query inner) {
        return new BooleanQuery.Builder().add(new MatchAllDocsQuery(), Occur.FILTER).add(inner, Occur.MUST_NOT).build();
    }

    private Query comparison(IndexField f, RqlExpression.Operator operator, Object value) {
        return switch (operator) {
            case EQUAL -> equal(f, value);
            case NOT_EQUAL -> not(equal(f, value));
            case LESS -> range(f, null, false, value, false, "<");
            case LESS_OR_EQUAL -> range(f, null, false, value, true, "<=");
            case GREATER -> range(f, value, false, null, false, ">");
            case GREATER_OR_EQUAL -> range(f, value, true, null, false, ">=");
        };
    }

    private Query equal(IndexField f, Object value) {
        if (value == null) {
            return new TermQuery(new Term(InternalFields.NULL, f.name()));
        }
        return switch (f.type()) {
            case KEYWORD -> KeywordField.newExactQuery(f.name(), text(f, value));
            case BOOLEAN -> {
                if (!(value instanceof Boolean b)) {
                    throw wrongValue(f, value, "true or false");
                }
                yield KeywordField.newExactQuery(f.name(), b.toString());
            }
            case LONG -> switch (value) {
                case Long l -> LongField.newExactQuery(f.name(), l);
                case Double d when d == Math.rint(d) && d >= Long.MIN_VALUE && d < 0x1p63 ->
                        LongField.newExactQuery(f.name(), (long) d.doubleValue());
                case Double d -> new MatchNoDocsQuery(f.name() + " holds whole numbers only");
                default -> throw wrongValue(f, value, "a number");
            };
            case DOUBLE -> DoubleField.newExactQuery(f.name(), number(f, value));
            case TEXT -> throw new QueryException("field '" + f.name() + "' is Text: match it with search("
                    + f.name() + ", '...')");
        };
    }

    private Query range(IndexField f, Object low, boolean lowInclusive, Object high, boolean highInclusive,
                        String operator) {
        if (low == null && high == null || (low == null) != (high == null) && "between".equals(operator)) {
            throw new QueryException("'" + operator + "' on field '" + f.name() + "' needs a value, not null");
        }
        return switch (f.type()) {
            case KEYWORD -> TermRangeQuery.newStringRange(f.name(), low == null ? null : text(f, low),
                    high == null ? null : text(f, high), low == null || lowInclusive, high == null || highInclusive);
            case LONG -> {
                try {
                    long lo = low == null ? Long.MIN_VALUE : longBound(f, low, lowInclusive, true);
                    long hi = high == null ? Long.MAX_VALUE : longBound(f, high, highInclusive, false);
                    yield lo > hi ? new MatchNoDocsQuery("empty range") : LongField.newRangeQuery(f.name(), lo, hi);
                } catch (EmptyRange empty) {
                    yield new MatchNoDocsQuery("empty range");
                }
            }
            case DOUBLE -> {
                double lo = low == null ? Double.NEGATIVE_INFINITY : number(f, low);
                double hi = high == null ? Double.POSITIVE_INFINITY : number(f, high);
                // DoublePoint's steps order -0.0 below 0.0, as the index does; Math.nextUp would skip 0.0.
                if (low != null && !lowInclusive) {
                    lo = DoublePoint.nextUp(lo);
                }
                if (high != null && !highInclusive) {
                    hi = DoublePoint.nextDown(hi);
                }
                yield Double.compare(lo, hi) > 0 ? new MatchNoDocsQuery("empty range")
                        : DoubleField.newRangeQuery(f.name(), lo, hi);
            }
            case BOOLEAN, TEXT -> throw new QueryException("'" + operator + "' is not possible on field '" + f.name()
                    + "', which is " + f.type().wireName());
        };
    }

    /**
     * The tightest inclusive long bound equivalent to comparing with {@code value}: for a lower bound, the
     * smallest long that satisfies it; for an upper bound, the largest. Throws {@link EmptyRange} when no long
     * does.
     */
    private static long longBound(IndexField f, Object value, boolean inclusive, boolean lower) {
        if (value instanceof Long l) {
            if (inclusive) {
                return l;
            }
            if (lower ? l == Long.MAX_VALUE : l == Long.MIN_VALUE) {
                throw new EmptyRange();
            }
            return lower ? l + 1 : l - 1;
        }
        if (value instanceof Double d) {
            double rounded = lower ? Math.ceil(d) : Math.floor(d);
            if (rounded >= 0x1p63) {
                if (lower) {
                    throw new EmptyRange();
                }
                return Long.MAX_VALUE;
            }
            if (rounded < -0x1p63) {
                if (!lower) {
                    throw new EmptyRange();
                }
                return Long.MIN_VALUE;
            }
            long bound = (long) rounded;
            if (!inclusive && rounded == d) { // a whole bound that is itself excluded
                if (lower ? bound == Long.MAX_VALUE : bound == Long.MIN_VALUE) {
                    throw new EmptyRange();
                }
                bound += lower ? 1 : -1;
            }
            return bound;
        }
        throw wrongValue(f, value, "a number");
    }

    private Query startsWith(IndexField f, Object prefix) {
        if (f.type() != dev.blitdb.indexing.definition.FieldType.KEYWORD) {
            throw new QueryException("startsWith() needs a Keyword field; '" + f.name() + "' is "
                    + f.type().wireName());
        }
        if (prefix == null) {
            throw new QueryException("startsWith(" + f.name() + ", ...) needs a prefix, not null");
        }
        return new PrefixQuery(new Term(f.name(), text(f, prefix)));
    }

    private Query search(IndexField f, Object text) {
        if (f.type() != dev.blitdb.indexing.definition.FieldType.TEXT) {
            throw new QueryException("search() needs a Text field; '" + f.name() + "' is " + f.type().wireName());
        }
        if (!(text instanceof String s)) {
            throw new QueryException("search(" + f.name() + ", ...) needs a string of words");
        }
        var builder = new BooleanQuery.Builder();
        int terms = 0;
        try (TokenStream tokens = analyzer.tokenStream(f.name(), s)) {
            CharTermAttribute term = tokens.addAttribute(CharTermAttribute.class);
            tokens.reset();
            while (tokens.incrementToken()) {
                if (++terms > IndexSearcher.getMaxClauseCount()) {
                    throw new QueryException("search(" + f.name() + ", ...) has more than "
                            + IndexSearcher.getMaxClauseCount() + " words");
                }
                builder.add(new TermQuery(new Term(f.name(), term.toString())), Occur.SHOULD);
            }
            tokens.end();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // analysing a String does no I/O
        } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
            throw new QueryException("search(" + f.name() + ", ...): " + e.getMessage());
        }
        return terms == 0 ? new MatchNoDocsQuery("no words to search for")
                : builder.setMinimumNumberShouldMatch(1).build();
    }

    private static String text(IndexField f, Object value) {
        return switch (value) {
            case String s -> s;
            case Long l -> Long.toString(l);
            case Double d -> Double.toString(d);
            case Boolean b -> b.toString();
            default -> throw wrongValue(f, value, "a string");
        };
    }

    private static double number(IndexField f, Object value) {
        return switch (value) {
            case Long l -> l.doubleValue();
            case Double d -> d;
            default -> throw wrongValue(f, value, "a number");
        };
    }

    private static QueryException wrongValue(IndexField f, Object value, String expected) {
        String shown = value instanceof String s ? "'" + s + "'" : String.valueOf(value);
        if (value instanceof List<?>) {
            shown = "a list";
        }
        return new QueryException("field '" + f.name() + "' is " + f.type().wireName() + ": expected "
                + expected + ", got " + shown);
    }

    /** A bound no long can satisfy ({@code > Long.MAX_VALUE}, {@code >= 2^63}): the range is empty. */
    private static final class EmptyRange extends RuntimeException {
        EmptyRange() {
            super(null, null, false, false);
        }
    }
}

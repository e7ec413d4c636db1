package dev.blitdb.indexing.query;

import dev.blitdb.indexing.definition.FieldType;
import dev.blitdb.indexing.definition.IndexDefinition;
import dev.blitdb.indexing.definition.IndexField;
import dev.blitdb.indexing.query.rql.RqlExpression;
import dev.blitdb.indexing.query.rql.RqlQuery;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The brute-force reference for queries: evaluates RQL over plain Java values exactly as the documented semantics
 * of {@link LuceneQueryBuilder} and {@link QuerySortBuilder} say, with none of their code.
 */
final class QueryOracle {

    /** JSON null as a field value. */
    static final Object NULL = new Object() {
        @Override
        public String toString() {
            return "null";
        }
    };

    /**
     * One document as the index sees it: values per field (absent = path missing). Doubles carry their JSON text
     * for Keyword/Text use.
     */
    record Doc(String id, Map<String, List<Object>> values) {
    }

    private final IndexDefinition index;
    private final QueryParameters parameters;
    private final Analyzer analyzer;

    QueryOracle(IndexDefinition index, QueryParameters parameters, Analyzer analyzer) {
        this.index = index;
        this.parameters = parameters;
        this.analyzer = analyzer;
    }

    List<String> run(List<Doc> docs, RqlQuery query) {
        List<Doc> matches = new ArrayList<>();
        for (Doc doc : docs) {
            if (query.where().isEmpty() || eval(doc, query.where().get())) {
                matches.add(doc);
            }
        }
        Comparator<Doc> order = null;
        for (var key : query.orderBy()) {
            IndexField f = LuceneQueryBuilder.field(index, key.field());
            Comparator<Doc> byKey = (a, b) -> compareSortValues(f, sortValue(f, a, key.descending()),
                    sortValue(f, b, key.descending()));
            if (key.descending()) {
                byKey = byKey.reversed();
            }
            order = order == null ? byKey : order.thenComparing(byKey);
        }
        Comparator<Doc> byId = (a, b) -> Arrays.compareUnsigned(utf8(a.id().toLowerCase(Locale.ROOT)),
                utf8(b.id().toLowerCase(Locale.ROOT)));
        matches.sort(order == null ? byId : order.thenComparing(byId));
        return matches.stream().map(Doc::id).toList();
    }

    private boolean eval(Doc doc, RqlExpression e) {
        return switch (e) {
            case RqlExpression.And and -> and.terms().stream().allMatch(t -> eval(doc, t));
            case RqlExpression.Or or -> or.terms().stream().anyMatch(t -> eval(doc, t));
            case RqlExpression.Not not -> !eval(doc, not.term());
            case RqlExpression.Comparison c -> {
                IndexField f = LuceneQueryBuilder.field(index, c.field());
                Object v = parameters.resolve(c.value());
                yield switch (c.operator()) {
                    case EQUAL -> equal(doc, f, v);
                    case NOT_EQUAL -> !equal(doc, f, v);
                    case LESS -> any(doc, f, x -> compare(f, x, v) < 0);
                    case LESS_OR_EQUAL -> any(doc, f, x -> compare(f, x, v) <= 0);
                    case GREATER -> any(doc, f, x -> compare(f, x, v) > 0);
                    case GREATER_OR_EQUAL -> any(doc, f, x -> compare(f, x, v) >= 0);
                };
            }
            case RqlExpression.Between b -> {
                IndexField f = LuceneQueryBuilder.field(index, b.field());
                Object lo = parameters.resolve(b.low());
                Object hi = parameters.resolve(b.high());
                yield any(doc, f, x -> compare(f, x, lo) >= 0 && compare(f, x, hi) <= 0);
            }
            case RqlExpression.In in -> {
                IndexField f = LuceneQueryBuilder.field(index, in.field());
                boolean found = false;
                for (var value : in.values()) {
                    Object v = parameters.resolve(value);
                    for (Object item : v instanceof List<?> list ? list : java.util.Collections.singletonList(v)) {
                        found |= equal(doc, f, item);
                    }
                }
                yield found;
            }
            case RqlExpression.StartsWith s -> {
                IndexField f = LuceneQueryBuilder.field(index, s.field());
                String prefix = text(parameters.resolve(s.prefix()));
                yield any(doc, f, x -> text(x).startsWith(prefix));
            }
            case RqlExpression.Exists x -> !doc.values().getOrDefault(LuceneQueryBuilder.field(index, x.field()).name(),
                    List.of()).isEmpty();
            case RqlExpression.Search s -> {
                IndexField f = LuceneQueryBuilder.field(index, s.field());
                Set<String> wanted = new HashSet<>(tokens((String) parameters.resolve(s.text())));
                yield any(doc, f, x -> tokens(text(x)).stream().anyMatch(wanted::contains));
            }
        };
    }

    private boolean equal(Doc doc, IndexField f, Object v) {
        if (v == null) {
            return doc.values().getOrDefault(f.name(), List.of()).contains(NULL);
        }
        return any(doc, f, x -> switch (f.type()) {
            case KEYWORD, BOOLEAN -> text(x).equals(text(v));
            case LONG, DOUBLE -> compare(f, x, v) == 0;
            case TEXT -> throw new AssertionError("generator asked = on Text");
        });
    }

    private static boolean any(Doc doc, IndexField f, java.util.function.Predicate<Object> test) {
        for (Object x : doc.values().getOrDefault(f.name(), List.of())) {
            if (x != NULL && test.test(x)) {
                return true;
            }
        }
        return false;
    }

    /** Compares an indexed value with a query value under the field's type. */
    private static int compare(IndexField f, Object x, Object v) {
        return switch (f.type()) {
            case KEYWORD -> Arrays.compareUnsigned(utf8(text(x)), utf8(text(v)));
            case LONG -> new BigDecimal(((Number) x).longValue()).compareTo(decimal(v));
            case DOUBLE -> Double.compare(((Number) x).doubleValue(), ((Number) v).doubleValue());
            case BOOLEAN, TEXT -> throw new AssertionError("generator asked a range on " + f.type());
        };
    }

    private static BigDecimal decimal(Object v) {
        return v instanceof Long l ? new BigDecimal(l) : new BigDecimal((Double) v);
    }

    /** The value a document sorts by (smallest ascending, largest descending), or null when it has none. */
    private static Object sortValue(IndexField f, Doc doc, boolean descending) {
        Object best = null;
        for (Object x : doc.values().getOrDefault(f.name(), List.of())) {
            if (x == NULL) {
                continue;
            }
            if (best == null || (compareSortValues(f, x, best) < 0) != descending) {
                best = x;
            }
        }
        return best;
    }

    private static int compareSortValues(IndexField f, Object a, Object b) {
        if (a == null || b == null) {
            return a == null ? (b == null ? 0 : -1) : 1; // no value sorts lowest
        }
        return switch (f.type()) {
            case KEYWORD, BOOLEAN -> Arrays.compareUnsigned(utf8(text(a)), utf8(text(b)));
            case LONG -> Long.compare(((Number) a).longValue(), ((Number) b).longValue());
            case DOUBLE -> Double.compare(((Number) a).doubleValue(), ((Number) b).doubleValue());
            case TEXT -> throw new AssertionError("generator ordered by Text");
        };
    }

    static String text(Object v) {
        return switch (v) {
            case String s -> s;
            case Long l -> Long.toString(l);
            case Double d -> Double.toString(d);
            case Boolean b -> b.toString();
            default -> throw new AssertionError("no text for " + v);
        };
    }

    private List<String> tokens(String text) {
        List<String> out = new ArrayList<>();
        try (TokenStream stream = analyzer.tokenStream("f", text)) {
            CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
            stream.reset();
            while (stream.incrementToken()) {
                out.add(term.toString());
            }
            stream.end();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static boolean isNumeric(FieldType type) {
        return type == FieldType.LONG || type == FieldType.DOUBLE;
    }
}

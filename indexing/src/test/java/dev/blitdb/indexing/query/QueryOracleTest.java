package dev.blitdb.indexing.query;

import dev.blitdb.indexing.definition.FieldType;
import dev.blitdb.indexing.definition.IndexDefinition;
import dev.blitdb.indexing.definition.IndexDefinition.FieldSpec;
import dev.blitdb.indexing.definition.IndexField;
import dev.blitdb.blittable.BlitDocument;
import dev.blitdb.blittable.BlitWriter;
import dev.blitdb.indexing.lucene.BlitEntryReader;
import dev.blitdb.indexing.lucene.IndexEntryBuilder;
import dev.blitdb.indexing.lucene.IndexValueException;
import dev.blitdb.indexing.query.QueryOracle.Doc;
import dev.blitdb.indexing.query.rql.RqlExpression;
import dev.blitdb.indexing.query.rql.RqlExpression.Operator;
import dev.blitdb.indexing.query.rql.RqlField;
import dev.blitdb.indexing.query.rql.RqlFormatter;
import dev.blitdb.indexing.query.rql.RqlParser;
import dev.blitdb.indexing.query.rql.RqlQuery;
import dev.blitdb.indexing.query.rql.RqlValue;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Oracle test: random documents, random queries; Lucene's answer (ids, order, total, pages) must equal a
 * brute-force filter and sort over the same values.
 */
class QueryOracleTest {

    private static final String[] WORDS = {"alpha", "Beta", "gamma", "delta", "eps", "zeta", "Ünïcode", "日本", "a b", ""};
    private static final String[] TEXT_WORDS = {"database", "engine", "fast", "Lucene", "blit", "memory", "mapped"};

    static final IndexDefinition INDEX = IndexDefinition.of("Things/ByAll", "Things", List.of(
            new FieldSpec("Name", "Name", "Keyword"),
            new FieldSpec("Age", "Age", "Long"),
            new FieldSpec("Score", "Stats.Score", "Double"),
            new FieldSpec("Tags", "Tags[]", "Keyword"),
            new FieldSpec("Active", "Active", "Boolean"),
            new FieldSpec("Bio", "Bio", "Text")), null);

    @Test
    void shouldMatchTheBruteForceOracleOnRandomQueries() throws Exception {
        SplittableRandom random = new SplittableRandom(42);
        for (int round = 0; round < 6; round++) {
            List<Doc> docs = randomDocs(random, 50 + random.nextInt(250));
            var analyzer = new StandardAnalyzer();
            try (var dir = new ByteBuffersDirectory();
                 var writer = new IndexWriter(dir, new IndexWriterConfig(analyzer))) {
                IndexEntryBuilder builder = new IndexEntryBuilder(INDEX);
                // Odd rounds go the production way: JSON -> blittable -> values read at each field's path.
                boolean viaBlittable = round % 2 == 1;
                BlitEntryReader entries = new BlitEntryReader(INDEX);
                BlitWriter json = new BlitWriter();
                for (Doc doc : docs) {
                    writer.addDocument(viaBlittable ? entries.read(doc.id(), blittable(json, doc)) : entry(builder, doc));
                    if (random.nextInt(40) == 0) {
                        writer.commit(); // several segments
                    }
                }
                writer.commit();
                try (var reader = DirectoryReader.open(dir)) {
                    var searcher = new IndexSearcher(reader);
                    for (int q = 0; q < 400; q++) {
                        checkOne(random, docs, searcher, analyzer, round, q);
                    }
                }
            }
        }
    }

    private void checkOne(SplittableRandom random, List<Doc> docs, IndexSearcher searcher,
                          StandardAnalyzer analyzer, int round, int q) throws Exception {
        Map<String, Object> params = new HashMap<>();
        RqlExpression where = random.nextInt(8) == 0 ? null : expression(random, params, 0);
        List<RqlQuery.OrderBy> order = new ArrayList<>();
        for (int i = random.nextInt(3); i > 0; i--) {
            String name = pick(random, "Name", "Age", "Score", "Tags", "Active");
            order.add(new RqlQuery.OrderBy(new RqlField(name, 0), random.nextBoolean(), RqlQuery.SortType.DEFAULT));
        }
        int offset = random.nextInt(4) == 0 ? random.nextInt(30) : 0;
        int limit = random.nextInt(3) == 0 ? 1 + random.nextInt(20) : 10_000;
        RqlQuery query = new RqlQuery(new RqlQuery.Index(INDEX.name()), Optional.ofNullable(where), order,
                Optional.of(new RqlValue.Literal((long) limit)), Optional.of(new RqlValue.Literal((long) offset)),
                List.of());
        String text = RqlFormatter.format(query);
        RqlQuery parsed = RqlParser.parse(text);
        QueryParameters parameters = QueryParameters.of(params);
        boolean relevance = where != null && containsSearch(where);

        var luceneQuery = parsed.where().map(w -> new LuceneQueryBuilder(INDEX, parameters, analyzer).build(w))
                .orElse(new org.apache.lucene.search.MatchAllDocsQuery());
        var sort = QuerySortBuilder.build(INDEX, parsed.orderBy(), relevance);
        IndexSearch.Page page = IndexSearch.search(searcher, luceneQuery, sort, offset, limit);

        // A page names its hits by store key: the id lowercased.
        List<String> expectedAll = new QueryOracle(INDEX, parameters, analyzer).run(docs, parsed).stream()
                .map(id -> id.toLowerCase(java.util.Locale.ROOT)).toList();
        String context = "round " + round + " query " + q + ": " + text + " params " + params;
        assertEquals(expectedAll.size(), page.totalResults(), context);
        if (relevance && order.isEmpty()) {
            if (offset == 0 && limit >= expectedAll.size()) {
                assertEquals(new TreeSet<>(expectedAll), new TreeSet<>(page.keys()), context);
            }
            return;
        }
        List<String> expected = expectedAll.subList(Math.min(offset, expectedAll.size()),
                Math.min(expectedAll.size(), offset + limit));
        assertEquals(expected, page.keys(), context);
    }

    static boolean containsSearch(RqlExpression e) {
        return switch (e) {
            case RqlExpression.Search s -> true;
            case RqlExpression.And a -> a.terms().stream().anyMatch(QueryOracleTest::containsSearch);
            case RqlExpression.Or o -> o.terms().stream().anyMatch(QueryOracleTest::containsSearch);
            case RqlExpression.Not n -> containsSearch(n.term());
            default -> false;
        };
    }

    /** The document as a client would send it, converted to blittable. */
    static BlitDocument blittable(BlitWriter writer, Doc doc) {
        byte[] blit = writer.convert(json(doc), 0, json(doc).length).toByteArray();
        return new BlitDocument().wrap(java.lang.foreign.MemorySegment.ofArray(blit), 0);
    }

    /** The document as JSON, in the shape the index's paths expect, with a collection. */
    static byte[] json(Doc doc) {
        StringBuilder json = new StringBuilder("{");
        doc.values().forEach((field, values) -> {
            String path = INDEX.fields().get(field).path().text();
            Object value = path.endsWith("[]") ? values : values.getFirst();
            String name = path.replace("[]", "");
            if (name.contains(".")) { // Stats.Score
                String[] parts = name.split("\\.");
                json.append('"').append(parts[0]).append("\":{\"").append(parts[1]).append("\":");
                appendJson(json, value);
                json.append("},");
            } else {
                json.append('"').append(name).append("\":");
                appendJson(json, value);
                json.append(',');
            }
        });
        json.append("\"Other\":{\"deep\":[1,2,{\"x\":null}]},\"@metadata\":{\"@collection\":\"Things\"}}");
        return json.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static void appendJson(StringBuilder json, Object value) {
        switch (value) {
            case List<?> list -> {
                json.append('[');
                for (int i = 0; i < list.size(); i++) {
                    appendJson(json.append(i == 0 ? "" : ","), list.get(i));
                }
                json.append(']');
            }
            case String s -> json.append('"').append(s.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
            case Long l -> json.append(l);
            case Double d -> json.append(d);
            case Boolean b -> json.append(b);
            default -> json.append("null");
        }
    }

    private static org.apache.lucene.document.Document entry(IndexEntryBuilder builder, Doc doc) {
        builder.begin(doc.id());
        for (IndexField f : INDEX.fields().values()) {
            List<Object> values = doc.values().get(f.name());
            if (values == null || values.isEmpty()) {
                continue; // exists() means "the path reaches a value"; an empty array reaches none
            }
            builder.present(f);
            for (Object v : values) {
                switch (v) {
                    case String s -> builder.addString(f, s);
                    case Long l -> builder.addLong(f, l);
                    case Double d -> builder.addDouble(f, d, Double.toString(d));
                    case Boolean b -> builder.addBoolean(f, b);
                    default -> builder.addNull(f);
                }
            }
        }
        return builder.build();
    }

    static List<Doc> randomDocs(SplittableRandom r, int count) {
        List<Doc> docs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Map<String, List<Object>> values = new LinkedHashMap<>();
            maybe(r, values, "Name", () -> r.nextInt(10) == 0 ? (Object) (long) r.nextInt(5) : pick(r, WORDS));
            maybe(r, values, "Age", () -> r.nextInt(8) == 0 ? (Object) (double) r.nextInt(-5, 100)
                    : (Object) (long) r.nextInt(-5, 100));
            maybe(r, values, "Score", () -> switch (r.nextInt(6)) {
                case 0 -> -0.0;
                case 1 -> 0.0;
                case 2 -> (long) r.nextInt(-3, 3);
                default -> Math.round(r.nextDouble(-10, 10) * 4) / 4.0;
            });
            if (r.nextInt(4) != 0) {
                List<Object> tags = new ArrayList<>();
                for (int t = r.nextInt(4); t > 0; t--) {
                    tags.add(r.nextInt(12) == 0 ? QueryOracle.NULL : pick(r, WORDS));
                }
                values.put("Tags", tags);
            }
            maybe(r, values, "Active", r::nextBoolean);
            maybe(r, values, "Bio", () -> pick(r, TEXT_WORDS) + " " + pick(r, TEXT_WORDS) + ", " + pick(r, TEXT_WORDS));
            docs.add(new Doc((r.nextBoolean() ? "Things/" : "things/") + i, values));
        }
        return docs;
    }

    private static void maybe(SplittableRandom r, Map<String, List<Object>> values, String field,
                              java.util.function.Supplier<Object> value) {
        int roll = r.nextInt(10);
        if (roll == 0) {
            return; // missing
        }
        values.put(field, List.of(roll == 1 ? QueryOracle.NULL : value.get()));
    }

    static RqlExpression expression(SplittableRandom r, Map<String, Object> params, int depth) {
        int kind = r.nextInt(depth >= 2 ? 7 : 10);
        if (kind >= 7) {
            List<RqlExpression> terms = new ArrayList<>();
            for (int i = 2 + r.nextInt(2); i > 0; i--) {
                terms.add(expression(r, params, depth + 1));
            }
            return kind == 7 ? new RqlExpression.And(terms)
                    : kind == 8 ? new RqlExpression.Or(terms) : new RqlExpression.Not(terms.getFirst());
        }
        String name = pick(r, "Name", "Age", "Score", "Tags", "Active", "Bio");
        FieldType type = INDEX.fields().get(name).type();
        RqlField field = new RqlField(name, 0);
        if (type == FieldType.TEXT) {
            return new RqlExpression.Search(field, value(r, params, pick(r, TEXT_WORDS) + " " + pick(r, WORDS)));
        }
        if (kind == 0) {
            return new RqlExpression.Exists(field);
        }
        if (kind == 1 && r.nextInt(3) == 0) {
            return new RqlExpression.Comparison(field, r.nextBoolean() ? Operator.EQUAL : Operator.NOT_EQUAL,
                    new RqlValue.Literal(null));
        }
        if (type == FieldType.BOOLEAN || kind == 2) {
            return new RqlExpression.Comparison(field, r.nextBoolean() ? Operator.EQUAL : Operator.NOT_EQUAL,
                    value(r, params, scalar(r, type)));
        }
        if (kind == 3) {
            List<RqlValue> values = new ArrayList<>();
            for (int i = 1 + r.nextInt(3); i > 0; i--) {
                values.add(value(r, params, scalar(r, type)));
            }
            return new RqlExpression.In(field, values);
        }
        if (kind == 4 && type == FieldType.KEYWORD) {
            String word = pick(r, WORDS);
            return new RqlExpression.StartsWith(field, value(r, params, word.substring(0, r.nextInt(word.length() + 1))));
        }
        if (kind == 5) {
            return new RqlExpression.Between(field, value(r, params, scalar(r, type)), value(r, params, scalar(r, type)));
        }
        return new RqlExpression.Comparison(field, Operator.values()[r.nextInt(6)], value(r, params, scalar(r, type)));
    }

    private static Object scalar(SplittableRandom r, FieldType type) {
        return switch (type) {
            case KEYWORD -> r.nextInt(8) == 0 ? (Object) (long) r.nextInt(5) : pick(r, WORDS);
            case LONG -> r.nextBoolean() ? (Object) (long) r.nextInt(-10, 110)
                    : (Object) (r.nextInt(-40, 440) / 4.0);
            case DOUBLE -> switch (r.nextInt(4)) {
                case 0 -> (Object) (long) r.nextInt(-5, 5);
                case 1 -> r.nextBoolean() ? -0.0 : 0.0;
                default -> Math.round(r.nextDouble(-11, 11) * 4) / 4.0;
            };
            case BOOLEAN -> r.nextBoolean();
            case TEXT -> pick(r, TEXT_WORDS);
        };
    }

    private static RqlValue value(SplittableRandom r, Map<String, Object> params, Object value) {
        if (r.nextInt(3) == 0) {
            String name = "p" + params.size();
            params.put(name, value);
            return new RqlValue.Parameter(name, 0);
        }
        return new RqlValue.Literal(value);
    }

    @SafeVarargs
    private static <T> T pick(SplittableRandom r, T... values) {
        return values[r.nextInt(values.length)];
    }

    @Test
    void shouldRejectQueriesThatCannotRunWithClearMessages() {
        var analyzer = new StandardAnalyzer();
        var builder = new LuceneQueryBuilder(INDEX, QueryParameters.of(Map.of("s", "x")), analyzer);
        assertEquals("index 'Things/ByAll' has no field 'Nope'; its fields are Name, Age, Score, Tags, Active, Bio",
                assertThrows(QueryException.class, () -> builder.build(parse("Nope = 1"))).getMessage());
        assertEquals("field 'Age' is Long: expected a number, got 'old'",
                assertThrows(QueryException.class, () -> builder.build(parse("Age = 'old'"))).getMessage());
        assertEquals("field 'Bio' is Text: match it with search(Bio, '...')",
                assertThrows(QueryException.class, () -> builder.build(parse("Bio = 'x'"))).getMessage());
        assertEquals("search() needs a Text field; 'Name' is Keyword",
                assertThrows(QueryException.class, () -> builder.build(parse("search(Name, 'x')"))).getMessage());
        assertEquals("'>' is not possible on field 'Active', which is Boolean",
                assertThrows(QueryException.class, () -> builder.build(parse("Active > true"))).getMessage());
        assertEquals("parameter $missing is used but not given in QueryParameters",
                assertThrows(QueryException.class, () -> builder.build(parse("Name = $missing"))).getMessage());
        assertEquals("'<' on field 'Age' needs a value, not null",
                assertThrows(QueryException.class, () -> builder.build(parse("Age < null"))).getMessage());
        assertEquals("field 'Bio' is Text and cannot be ordered by; index it as Keyword too to sort on it",
                assertThrows(QueryException.class, () -> QuerySortBuilder.build(INDEX,
                        RqlParser.parse("from Things order by Bio").orderBy(), false)).getMessage());
        assertTrue(builder.build(parse("age > 3")) != null, "field names also match ignoring case");
    }

    @Test
    void shouldRecordWrongValueKindsAsIndexErrors() {
        IndexEntryBuilder builder = new IndexEntryBuilder(INDEX).begin("things/1");
        IndexField age = INDEX.fields().get("Age");
        var e = assertThrows(IndexValueException.class, () -> builder.addString(age, "old"));
        assertEquals("document 'things/1': field 'Age' (path Age) is Long but the document has the string 'old'",
                e.getMessage());
        assertThrows(IndexValueException.class, () -> builder.addDouble(age, 30.5, "30.5"));
        assertThrows(IndexValueException.class, () -> builder.addBoolean(INDEX.fields().get("Score"), true));
        builder.addDouble(age, 30.0, "30.0"); // a whole decimal is a fine Long
    }

    private static RqlExpression parse(String where) {
        return RqlParser.parse("from Things where " + where).where().orElseThrow();
    }
}

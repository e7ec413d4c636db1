package dev.blitdb.indexing.query;

import dev.blitdb.indexing.definition.IndexDefinition;
import dev.blitdb.indexing.definition.IndexDefinition.FieldSpec;
import dev.blitdb.indexing.definition.IndexField;
import dev.blitdb.indexing.lucene.IndexEntryBuilder;
import dev.blitdb.indexing.lucene.InternalFields;
import dev.blitdb.indexing.query.rql.RqlParser;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.IndexableField;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The {@code exists} marker is written only where no doc value says the path reached a value (a null, a Text
 * value, a value an automatic index skipped): an import's entries of plain values carry none. {@code exists(F)}
 * matches the same entries either way, also in an index written while every value had its marker.
 */
class ExistsMarkerTest {

    private static final IndexDefinition STATIC = IndexDefinition.of("Things/ByAll", "Things", List.of(
            new FieldSpec("Name", "Name", "Keyword"), new FieldSpec("Age", "Age", "Long"),
            new FieldSpec("Score", "Score", "Double"), new FieldSpec("Active", "Active", "Boolean"),
            new FieldSpec("Bio", "Bio", "Text")), null);
    private static final IndexDefinition AUTO = IndexDefinition.of("Auto/Things/ByAge", "Things", List.of(
            new FieldSpec("Age", "Age", "Long")), null);

    private static IndexField field(IndexDefinition def, String name) {
        return def.fieldList().stream().filter(f -> f.name().equals(name)).findFirst().orElseThrow();
    }

    private static List<String> markers(Document entry) {
        List<String> out = new ArrayList<>();
        for (IndexableField f : entry.getFields(InternalFields.EXISTS)) {
            out.add(f.binaryValue() != null ? f.binaryValue().utf8ToString() : f.stringValue());
        }
        return out;
    }

    /** A copy of the builder's reused entry (it is refilled by the next begin). */
    private static Document copy(Document entry) {
        Document d = new Document();
        entry.forEach(d::add);
        return d;
    }

    @Test
    void shouldWriteTheMarkerOnlyWhereNoDocValueSaysTheFieldExistsAndMatchTheSameEntries() throws Exception {
        IndexEntryBuilder b = new IndexEntryBuilder(STATIC);
        List<Document> entries = new ArrayList<>();

        b.begin("things/values"); // every value leaves doc values: no marker at all
        b.present(field(STATIC, "Name"));
        b.addString(field(STATIC, "Name"), "Ann");
        b.present(field(STATIC, "Age"));
        b.addLong(field(STATIC, "Age"), 30);
        b.present(field(STATIC, "Score"));
        b.addDouble(field(STATIC, "Score"), 1.5, "1.5");
        b.present(field(STATIC, "Active"));
        b.addBoolean(field(STATIC, "Active"), true);
        entries.add(copy(b.build()));
        assertEquals(List.of(), markers(entries.getLast()));

        b.begin("things/nulls"); // nulls and Text leave no doc value: markers
        for (String name : List.of("Name", "Age", "Score", "Active")) {
            b.present(field(STATIC, name));
            b.addNull(field(STATIC, name));
        }
        b.present(field(STATIC, "Bio"));
        b.addString(field(STATIC, "Bio"), "fast engine");
        entries.add(copy(b.build()));
        assertEquals(new TreeSet<>(List.of("Name", "Age", "Score", "Active", "Bio")),
                new TreeSet<>(markers(entries.getLast())));

        b.begin("things/mixed"); // a null next to a value: the value's doc value says it
        b.present(field(STATIC, "Name"));
        b.addNull(field(STATIC, "Name"));
        b.addString(field(STATIC, "Name"), "Bo");
        entries.add(copy(b.build()));
        assertEquals(List.of(), markers(entries.getLast()));

        b.begin("things/none"); // no path reached anything
        entries.add(copy(b.build()));
        assertEquals(List.of(), markers(entries.getLast()));

        // As an index written before the marker was narrowed: a marker for every field that had a value.
        b.begin("things/old");
        b.present(field(STATIC, "Name"));
        b.addString(field(STATIC, "Name"), "Cy");
        b.present(field(STATIC, "Age"));
        b.addLong(field(STATIC, "Age"), 7);
        Document old = copy(b.build());
        old.add(new StringField(InternalFields.EXISTS, "Name", Field.Store.NO));
        old.add(new StringField(InternalFields.EXISTS, "Age", Field.Store.NO));
        entries.add(old);

        var analyzer = new StandardAnalyzer();
        try (var dir = new ByteBuffersDirectory(); var writer = new IndexWriter(dir, new IndexWriterConfig(analyzer))) {
            for (int i = 0; i < entries.size(); i++) {
                writer.addDocument(entries.get(i));
                if (i == 1) {
                    writer.commit(); // two segments
                }
            }
            writer.commit();
            try (var reader = DirectoryReader.open(dir)) {
                var searcher = new IndexSearcher(reader);
                Map<String, Integer> expected = Map.of("Name", 4, "Age", 3, "Score", 2, "Active", 2, "Bio", 1);
                for (var e : expected.entrySet()) {
                    Query q = new LuceneQueryBuilder(STATIC, QueryParameters.of(Map.of()), analyzer)
                            .build(RqlParser.parse("from Things where exists(" + e.getKey() + ")").where().orElseThrow());
                    assertEquals(e.getValue().intValue(), searcher.count(q), "exists(" + e.getKey() + ")");
                    Query not = new LuceneQueryBuilder(STATIC, QueryParameters.of(Map.of()), analyzer)
                            .build(RqlParser.parse("from Things where not exists(" + e.getKey() + ")").where().orElseThrow());
                    assertEquals(entries.size() - e.getValue(), searcher.count(not), "not exists(" + e.getKey() + ")");
                }
            }
        }
    }

    @Test
    void shouldKeepTheMarkerWhereAnAutomaticIndexSkippedTheValue() {
        IndexEntryBuilder b = new IndexEntryBuilder(AUTO);
        b.begin("things/1");
        b.present(field(AUTO, "Age"));
        b.addString(field(AUTO, "Age"), "not a number"); // skipped in an automatic index: the path still exists
        assertEquals(List.of("Age"), markers(b.build()));
        b.begin("things/2");
        b.present(field(AUTO, "Age"));
        b.addLong(field(AUTO, "Age"), 3);
        assertEquals(List.of(), markers(b.build()), "the previous entry's marker does not stay");
    }
}

package dev.blitdb.indexing.lucene;

import dev.blitdb.indexing.definition.IndexDefinition.FieldSpec;
import dev.blitdb.indexing.definition.IndexDefinition;
import dev.blitdb.indexing.definition.IndexField;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.IndexableField;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The builder refills one Lucene document and its fields for every entry: each entry must be exactly what a fresh
 * builder makes, whatever the entries before it held (more values, other kinds, a rejected value halfway).
 */
class IndexEntryBuilderReuseTest {

    private static final IndexDefinition INDEX = IndexDefinition.of("Things/All", "Things", List.of(
            new FieldSpec("Name", "Name", "Keyword"), new FieldSpec("Age", "Age", "Long"),
            new FieldSpec("Score", "Score", "Double"), new FieldSpec("Active", "Active", "Boolean"),
            new FieldSpec("Bio", "Bio", "Text"), new FieldSpec("Tags", "Tags[]", "Keyword")), null);

    @Test
    void shouldBuildEveryEntryAsAFreshBuilderWould() {
        SplittableRandom random = new SplittableRandom(7);
        IndexEntryBuilder reused = new IndexEntryBuilder(INDEX);
        for (int doc = 0; doc < 2_000; doc++) {
            long seed = random.nextLong();
            List<String> expected = describe(fill(new IndexEntryBuilder(INDEX), "Things/" + doc, new SplittableRandom(seed)));
            if (random.nextInt(10) == 0) {
                reused.begin("things/rejected");
                reused.addString(INDEX.fields().get("Name"), "x".repeat(random.nextInt(3000)));
                assertThrows(IndexValueException.class, () -> reused.addString(INDEX.fields().get("Age"), "old"));
            }
            List<String> actual = describe(fill(reused, "Things/" + doc, new SplittableRandom(seed)));
            assertEquals(expected, actual, "entry " + doc);
        }
    }

    @Test
    void shouldGiveTheIdTermAsACopy() {
        IndexEntryBuilder builder = new IndexEntryBuilder(INDEX);
        builder.begin("Users/ÄBC");
        var term = builder.idTerm();
        builder.begin("users/other");
        assertEquals("users/äbc", term.utf8ToString());
    }

    private static Document fill(IndexEntryBuilder b, String id, SplittableRandom r) {
        b.begin(id);
        for (IndexField f : INDEX.fields().values()) {
            int values = r.nextInt(4); // 0: the path reaches nothing
            if (values > 0) {
                b.present(f);
            }
            for (int v = 0; v < values; v++) {
                switch (r.nextInt(6)) {
                    case 0 -> b.addNull(f);
                    case 1 -> safely(() -> b.addLong(f, r.nextLong(-1_000, 1_000)));
                    case 2 -> {
                        double d = r.nextInt(2) == 0 ? r.nextInt(100) : r.nextDouble() * 100;
                        safely(() -> b.addDouble(f, d, Double.toString(d)));
                    }
                    case 3 -> safely(() -> b.addBoolean(f, r.nextBoolean()));
                    case 4 -> safely(() -> b.addString(f, "v" + r.nextInt(50) + (r.nextInt(5) == 0 ? "é☃𝄞" : "")));
                    default -> safely(() -> b.addString(f, "word" + r.nextInt(9) + " other" + r.nextInt(9)));
                }
            }
        }
        return b.build();
    }

    private static void safely(Runnable add) {
        try {
            add.run();
        } catch (IndexValueException wrongKind) {
            // both builders reject the same values; the entry goes on with the next value
        }
    }

    private static List<String> describe(Document entry) {
        List<String> out = new ArrayList<>();
        for (IndexableField f : entry) {
            Object value = f.numericValue() != null ? f.numericValue()
                    : f.binaryValue() != null ? f.binaryValue().toString() : f.stringValue(); // bytes as hex
            out.add(f.getClass().getSimpleName() + ":" + f.name() + "=" + value);
        }
        return out;
    }
}

package dev.blitdb.indexing.lucene;

import dev.blitdb.blittable.BlitDocument;
import dev.blitdb.blittable.BlitWriter;
import dev.blitdb.indexing.definition.IndexDefinition;
import dev.blitdb.indexing.definition.IndexDefinition.FieldSpec;
import dev.blitdb.indexing.lucene.LuceneIndex.Progress;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.document.KeywordField;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.index.Term;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Keyword values go from the blittable bytes into Lucene as BytesRefs without a String: long values (past the
 * scratch buffer), compressed ones, non-ASCII ones and several per document must index exactly as their text.
 */
class BlitEntryReaderTest {

    @TempDir
    Path tmp;

    @Test
    void shouldIndexKeywordBytesExactlyAsTheirText() throws Exception {
        IndexDefinition def = IndexDefinition.of("Things/ByTag", "Things", List.of(
                new FieldSpec("Tags", "Tags[]", "Keyword"), new FieldSpec("Name", "Name", "Keyword"),
                new FieldSpec("Bio", "Bio", "Text"), new FieldSpec("Score", "Score", "Double"),
                new FieldSpec("Code", "Code", "Keyword")), "Normal");
        String longTag = "x".repeat(3000) + "-end";
        String repetitive = "abcabcabc".repeat(400); // long and repetitive: stored LZ4-compressed
        List<String> docs = List.of(
                "{\"Name\":\"Ünïcødé ☃\",\"Tags\":[\"a\",\"" + longTag + "\",\"b\"],\"Bio\":\"graph database\","
                        + "\"Score\":2.5,\"Code\":1.50}",
                "{\"Name\":\"" + repetitive + "\",\"Tags\":[\"b\",\"" + repetitive + "\"],\"Score\":3,\"Code\":7}");
        BlitWriter writer = new BlitWriter();
        BlitEntryReader reader = new BlitEntryReader(def);
        try (var index = LuceneIndex.open(tmp.resolve("i"), def, new StandardAnalyzer())) {
            for (int i = 0; i < docs.size(); i++) {
                byte[] json = docs.get(i).getBytes(StandardCharsets.UTF_8);
                byte[] blit = writer.convert(json, 0, json.length).toByteArray();
                BlitDocument doc = new BlitDocument();
                doc.wrap(MemorySegment.ofArray(blit), 0);
                index.update("things/" + i, reader.read("things/" + i, doc));
            }
            index.commit(new Progress(2, 0));
            var searcher = index.acquire();
            try {
                assertEquals(1, searcher.count(KeywordField.newExactQuery("Name", "Ünïcødé ☃")));
                assertEquals(1, searcher.count(KeywordField.newExactQuery("Name", repetitive)));
                assertEquals(1, searcher.count(KeywordField.newExactQuery("Tags", longTag)));
                assertEquals(1, searcher.count(KeywordField.newExactQuery("Tags", "a")));
                assertEquals(2, searcher.count(KeywordField.newExactQuery("Tags", "b")));
                assertEquals(1, searcher.count(KeywordField.newExactQuery("Tags", repetitive)));
                assertEquals(1, searcher.count(KeywordField.newExactQuery("Code", "1.50")), "decimal as written");
                assertEquals(1, searcher.count(new TermQuery(new Term("Bio", "graph"))));
            } finally {
                index.release(searcher);
            }
        }
    }
}

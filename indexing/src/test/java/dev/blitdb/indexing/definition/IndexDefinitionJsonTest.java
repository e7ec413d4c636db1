package dev.blitdb.indexing.definition;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IndexDefinitionJsonTest {

    private static final String DESIGN = """
            {"Name":"Users/ByCity","Collection":"Users","Fields":{"City":{"Path":"Address.City","Type":"Keyword"},
            "Age":{"Path":"Age","Type":"Long"},"Tags":{"Path":"Tags[]","Type":"Keyword"},"Bio":{"Path":"Bio","Type":"Text"}},
            "Priority":"Normal"}""";

    private static List<IndexDefinition> parse(String json) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        return IndexDefinitionJson.parse(bytes, 0, bytes.length);
    }

    private static String error(String json) {
        return assertThrows(IndexDefinitionException.class, () -> parse(json)).getMessage();
    }

    @Test
    void shouldReadTheDesignExampleAndWriteItBack() {
        IndexDefinition d = parse(DESIGN).getFirst();
        assertEquals("Users/ByCity", d.name());
        assertEquals(List.of("City", "Age", "Tags", "Bio"), d.fieldList().stream().map(IndexField::name).toList());
        byte[] written = IndexDefinitionJson.write(d);
        assertEquals(d, IndexDefinitionJson.parse(written, 0, written.length).getFirst());
        assertEquals(DESIGN.replace("\n", ""), new String(written, StandardCharsets.UTF_8));
    }

    @Test
    void shouldAcceptArraysAndTheIndexesWrapper() {
        assertEquals(2, parse("[" + DESIGN + "," + DESIGN.replace("Users/ByCity", "Users/Other") + "]").size());
        assertEquals(1, parse("{\"Indexes\":[" + DESIGN + "]}").size());
    }

    @Test
    void shouldNameTheProblemOfABadDefinition() {
        assertTrue(error(DESIGN.replace("\"Age\":{\"Path\":\"Age\"", "\"City\":{\"Path\":\"Age\""))
                .contains("Duplicate field 'City'"), "exact duplicate keys are caught by the parser");
        assertEquals("field 'Age' has unknown type 'Int'; the types are Keyword, Text, Long, Double, Boolean",
                error(DESIGN.replace("\"Long\"", "\"Int\"")));
        assertEquals("field 'Bio' has an empty path", error(DESIGN.replace("\"Path\":\"Bio\"", "\"Path\":\"\"")));
        assertTrue(error(DESIGN.replace("\"Priority\"", "\"Prio\""))
                .startsWith("unknown property \"Prio\" in index definition"));
        assertTrue(error("{\"Name\":\"x\",").startsWith("invalid JSON in index definition"));
        assertTrue(error("42").startsWith("expected an index definition object"));
        assertEquals("no index definitions given", error("[]"));
        assertTrue(error(DESIGN.replace("\"Collection\":\"Users\"", "\"Collection\":7"))
                .startsWith("\"Collection\" must be a string"));
    }
}

package dev.blitdb.indexing.definition;

import dev.blitdb.indexing.definition.IndexDefinition.FieldSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IndexDefinitionTest {

    private static final List<FieldSpec> DESIGN_FIELDS = List.of(
            new FieldSpec("City", "Address.City", "Keyword"),
            new FieldSpec("Age", "Age", "Long"),
            new FieldSpec("Tags", "Tags[]", "Keyword"),
            new FieldSpec("Bio", "Bio", "Text"));

    @Test
    void shouldBuildTheDesignExample() {
        IndexDefinition d = IndexDefinition.of("Users/ByCity", "Users", DESIGN_FIELDS, "normal");
        assertEquals(IndexPriority.NORMAL, d.priority());
        assertEquals(List.of("City", "Age", "Tags", "Bio"), d.fieldList().stream().map(IndexField::name).toList());
        assertEquals(List.of("Address", "City"), d.fields().get("City").path().segments());
        assertTrue(d.fields().get("Tags").path().isMultiValued());
        assertFalse(d.fields().get("City").path().isMultiValued());
        assertEquals(FieldType.TEXT, d.fields().get("Bio").type());
        assertFalse(d.isAuto());
        assertEquals(IndexPriority.NORMAL, IndexDefinition.of("X", "Users", DESIGN_FIELDS, null).priority());
    }

    @Test
    void shouldParsePathsWithEachItemMarkers() {
        FieldPath p = FieldPath.parse("Lines[].Product", "P");
        assertEquals(List.of("Lines", "Product"), p.segments());
        assertEquals(List.of(true, false), p.eachItem());
        FieldPath nested = FieldPath.parse("a[].b[].c[]", "N");
        assertEquals(List.of(true, true, true), nested.eachItem());
        assertEquals(List.of("@metadata", "@collection"), FieldPath.parse("@metadata.@collection", "m").segments());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "''|field 'F' has an empty path",
        ".a|field 'F' has path '.a' with an empty property name at character 1",
        "a..b|field 'F' has path 'a..b' with an empty property name at character 3",
        "a.|field 'F' has path 'a.' ending in '.'",
        "a[0]|field 'F' has path 'a[0]': '[' must be followed by ']' (each item) at character 2",
        "a[]b|field 'F' has path 'a[]b': expected '.' after '[]' at character 4",
        "[]|field 'F' has path '[]' with an empty property name at character 1",
    })
    void shouldRejectBadPathsNamingTheProblem(String path, String message) {
        var e = assertThrows(IndexDefinitionException.class, () -> FieldPath.parse(path, "F"));
        assertEquals(message, e.getMessage());
    }

    @Test
    void shouldRejectBadDefinitionsNamingTheProblem() {
        assertEquals("field 'Age' has unknown type 'Integer'; the types are Keyword, Text, Long, Double, Boolean",
                assertThrows(IndexDefinitionException.class, () -> IndexDefinition.of("I", "Users",
                        List.of(new FieldSpec("Age", "Age", "Integer")), null)).getMessage());
        assertEquals("index 'I' has duplicate field 'age' (same as 'Age' ignoring case)",
                assertThrows(IndexDefinitionException.class, () -> IndexDefinition.of("I", "Users",
                        List.of(new FieldSpec("Age", "Age", "Long"), new FieldSpec("age", "Age2", "Long")), null))
                        .getMessage());
        assertEquals("index 'I' has no Fields", assertThrows(IndexDefinitionException.class,
                () -> IndexDefinition.of("I", "Users", List.of(), null)).getMessage());
        assertEquals("index 'I' has no Collection", assertThrows(IndexDefinitionException.class,
                () -> IndexDefinition.of("I", " ", DESIGN_FIELDS, null)).getMessage());
        assertEquals("an index needs a Name", assertThrows(IndexDefinitionException.class,
                () -> IndexDefinition.of("", "Users", DESIGN_FIELDS, null)).getMessage());
        assertEquals("index name 'a b' has ' ' at character 2; use letters, digits and / - _ .",
                assertThrows(IndexDefinitionException.class,
                        () -> IndexDefinition.of("a b", "Users", DESIGN_FIELDS, null)).getMessage());
        assertEquals("unknown priority 'Urgent'; the priorities are Low, Normal, High",
                assertThrows(IndexDefinitionException.class,
                        () -> IndexDefinition.of("I", "Users", DESIGN_FIELDS, "Urgent")).getMessage());
        assertEquals("field 'Age' of index 'I' has no Type", assertThrows(IndexDefinitionException.class,
                () -> IndexDefinition.of("I", "Users", List.of(new FieldSpec("Age", "Age", null)), null))
                .getMessage());
    }

    @Test
    void shouldTellContentChangesFromPriorityChanges() {
        IndexDefinition a = IndexDefinition.of("Users/ByCity", "Users", DESIGN_FIELDS, "Low");
        IndexDefinition reordered = IndexDefinition.of("users/bycity", "users", DESIGN_FIELDS.reversed(), "High");
        assertTrue(a.sameContentAs(reordered));
        assertTrue(a.sameContentAs(a.withPriority(IndexPriority.HIGH)));
        IndexDefinition retyped = IndexDefinition.of("Users/ByCity", "Users", List.of(
                new FieldSpec("City", "Address.City", "Text")), "Low");
        assertFalse(a.sameContentAs(retyped));
        assertTrue(IndexDefinition.of("Auto/Users/ByAge", "Users", DESIGN_FIELDS, null).isAuto());
    }

    @Test
    void shouldMapPrioritiesToNiceValues() {
        assertEquals(19, IndexPriority.LOW.nice());
        assertEquals(5, IndexPriority.NORMAL.nice());
        assertEquals(0, IndexPriority.HIGH.nice());
        assertEquals(IndexPriority.HIGH, IndexPriority.fromWireName("HIGH"));
    }
}

package dev.blitdb.client;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class InflectorTest {

    @Test
    void shouldPluralizeEntityNamesTheEnglishWay() {
        assertEquals("Users", Inflector.plural("User"));
        assertEquals("Categories", Inflector.plural("Category"));
        assertEquals("Days", Inflector.plural("Day"));
        assertEquals("Addresses", Inflector.plural("Address"));
        assertEquals("Boxes", Inflector.plural("Box"));
        assertEquals("Matches", Inflector.plural("Match"));
        assertEquals("People", Inflector.plural("Person"));
        assertEquals("Children", Inflector.plural("Child"));
        assertEquals("OrderLines", Inflector.plural("OrderLine"));
        assertEquals("SalesPeople", Inflector.plural("SalesPerson"));
        assertEquals("Heroes", Inflector.plural("Hero"));
        assertEquals("Photos", Inflector.plural("Photo"));
        assertEquals("Leaves", Inflector.plural("Leaf"));
        assertEquals("Series", Inflector.plural("Series"));
        assertEquals("Indexes", Inflector.plural("Index"));
        assertEquals("URLS", Inflector.plural("URL"));
    }
}

package dev.blitdb.indexing.query.rql;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RqlCacheTest {

    @Test
    void shouldReturnTheSameParsedQueryForTheSameText() {
        RqlCache cache = new RqlCache(8);
        RqlQuery first = cache.parse("from Users where Name = $n limit 1");
        assertSame(first, cache.parse("from Users where Name = $n limit 1"));
        assertEquals(RqlParser.parse("from Users where Name = $n limit 1"), first);
        assertEquals(1, cache.size());
    }

    @Test
    void shouldStayWithinItsCapacityAndSkipLongTexts() {
        RqlCache cache = new RqlCache(8);
        for (int i = 0; i < 100; i++) {
            assertEquals(RqlParser.parse("from Users where Age = " + i), cache.parse("from Users where Age = " + i));
            assertTrue(cache.size() <= 8, "size " + cache.size());
        }
        String longText = "from Users where Name = '" + "x".repeat(RqlCache.MAX_TEXT_CHARS) + "'";
        int before = cache.size();
        cache.parse(longText);
        assertTrue(cache.size() <= before, "a long text is not kept");
    }

    @Test
    void shouldNotKeepTextsThatFailToParse() {
        RqlCache cache = new RqlCache(8);
        assertThrows(RqlSyntaxException.class, () -> cache.parse("from Users where"));
        assertThrows(RqlSyntaxException.class, () -> cache.parse("from Users where"));
        assertEquals(0, cache.size());
    }
}

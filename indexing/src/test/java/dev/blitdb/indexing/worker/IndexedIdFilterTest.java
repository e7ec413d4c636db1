package dev.blitdb.indexing.worker;

import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IndexedIdFilterTest {

    private static MemorySegment key(String s) {
        return MemorySegment.ofArray(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void shouldNeverForgetAnAddedIdAndRarelyClaimAnother() {
        IndexedIdFilter filter = new IndexedIdFilter();
        assertFalse(filter.mightContain(key("users/1")), "empty");
        int n = 400_000; // past the first filters: the chain grows
        for (int i = 0; i < n; i++) {
            filter.add(key("users/" + i));
        }
        for (int i = 0; i < n; i++) {
            assertTrue(filter.mightContain(key("users/" + i)), "no false negative: users/" + i);
        }
        int falsePositives = 0;
        for (int i = n; i < 2 * n; i++) {
            if (filter.mightContain(key("users/" + i))) {
                falsePositives++;
            }
        }
        assertTrue(falsePositives < n * 3 / 100, falsePositives + " false positives of " + n);
        assertFalse(filter.saturated());
        assertTrue(filter.size() == n);
    }

    @Test
    void shouldAnswerMaybeForEverythingOnceFull() {
        IndexedIdFilter filter = new IndexedIdFilter(3L << 20); // room for the first two filters only
        int i = 0;
        while (!filter.saturated()) {
            filter.add(key("users/" + i++));
        }
        assertTrue(i > 300_000, "filled two filters first: " + i);
        assertTrue(filter.mightContain(key("never/added")), "past its size every id may have an entry");
        assertTrue(filter.mightContain(key("users/1")));
    }

    @Test
    void shouldHashEveryByteOfTheKey() {
        long a = IndexedIdFilter.hash(key("orders/12345678"));
        assertTrue(a != IndexedIdFilter.hash(key("orders/12345679")), "the tail byte counts");
        assertTrue(a != IndexedIdFilter.hash(key("orders/12345678\0")), "the length counts");
        assertTrue(IndexedIdFilter.hash(key("")) != IndexedIdFilter.hash(key("\0")));
    }
}

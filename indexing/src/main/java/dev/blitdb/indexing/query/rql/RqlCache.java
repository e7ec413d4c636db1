package dev.blitdb.indexing.query.rql;

import java.util.Iterator;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Parsed queries by their exact text, so a query sent again (the usual case: parameters carry the values) is not
 * lexed and parsed again. Parsed queries are immutable, so one instance serves every thread. Bounded: at most
 * {@code capacity} texts of at most {@value #MAX_TEXT_CHARS} characters each; when full, an arbitrary entry makes
 * room (no per-hit bookkeeping on the read path). Texts that fail to parse are not kept.
 */
public final class RqlCache {

    /** Longer texts are parsed every time (they are rare, and would let a client fill the heap). */
    public static final int MAX_TEXT_CHARS = 4096;
    public static final int DEFAULT_CAPACITY = 1024;

    private final ConcurrentHashMap<String, RqlQuery> parsed = new ConcurrentHashMap<>();
    private final int capacity;

    public RqlCache(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be ≥ 1, got " + capacity);
        }
        this.capacity = capacity;
    }

    /** The parsed query for {@code text}, from the cache or parsed now; {@link RqlSyntaxException} as the parser. */
    public RqlQuery parse(String text) {
        RqlQuery query = parsed.get(text);
        if (query != null) {
            return query;
        }
        query = RqlParser.parse(text);
        if (text.length() <= MAX_TEXT_CHARS) {
            while (parsed.size() >= capacity) {
                Iterator<String> victim = parsed.keySet().iterator();
                if (!victim.hasNext()) {
                    break;
                }
                victim.next();
                victim.remove();
            }
            parsed.put(text, query);
        }
        return query;
    }

    /** Texts held now (tests, stats). */
    public int size() {
        return parsed.size();
    }
}

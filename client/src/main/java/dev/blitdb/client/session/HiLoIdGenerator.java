package dev.blitdb.client.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.blitdb.client.exceptions.BlitDbException;
import dev.blitdb.client.http.HttpCall;
import dev.blitdb.client.http.HttpResult;
import dev.blitdb.client.http.RequestExecutor;
import dev.blitdb.client.http.Urls;

import java.io.IOException;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Generates document ids {@code prefix + n} from ranges of numbers the server reserves per collection
 * ({@code GET /databases/{db}/hilo/next?tag=&size=}): the server commits each range durably before answering, so
 * a number is never handed out twice — across threads, sessions, client processes and server restarts. One
 * generator per store, one lock per collection; a thread takes the next number of the current range without a
 * round trip, and only the thread that empties it asks for the next one.
 *
 * <p>Range size starts at 32 and doubles (up to 4096) whenever a range is used up within a second of the
 * previous one, so a busy writer asks rarely while an idle process that exits wastes few numbers.
 */
public final class HiLoIdGenerator {

    private static final long MIN_SIZE = 32;
    private static final long MAX_SIZE = 4096;

    private final RequestExecutor executor;
    private final String database;
    private final ObjectMapper json = new ObjectMapper();
    private final Map<String, Range> ranges = new ConcurrentHashMap<>();

    /** A generator for {@code database} over {@code executor}. */
    public HiLoIdGenerator(RequestExecutor executor, String database) {
        this.executor = executor;
        this.database = database;
    }

    /** The next id of {@code collection}: {@code prefix} followed by a number never used before. */
    public String nextId(String collection, String prefix) {
        Range range = ranges.computeIfAbsent(collection.toLowerCase(Locale.ROOT), c -> new Range());
        return prefix + range.next(collection);
    }

    /** The numbers of one collection: {@code [next, last]} still unused. */
    private final class Range {
        private long next = 1;
        private long last = 0;
        private long size = MIN_SIZE;
        private long fetchedAtNanos;

        synchronized long next(String collection) {
            if (next > last) {
                fetch(collection);
            }
            return next++;
        }

        private void fetch(String collection) {
            long now = System.nanoTime();
            if (fetchedAtNanos != 0 && now - fetchedAtNanos < 1_000_000_000L) {
                size = Math.min(MAX_SIZE, size * 2);
            }
            fetchedAtNanos = now;
            HttpResult result = executor.execute(HttpCall.of("GET", Urls.database(database, "/hilo/next?tag="
                    + Urls.encode(collection) + "&size=" + size), null, true));
            try {
                JsonNode range = json.readTree(result.body());
                next = range.get("First").asLong();
                last = range.get("Last").asLong();
            } catch (IOException | NullPointerException e) {
                throw new BlitDbException("unexpected hi-lo answer from the server: "
                        + new String(result.body(), java.nio.charset.StandardCharsets.UTF_8), e);
            }
        }
    }
}

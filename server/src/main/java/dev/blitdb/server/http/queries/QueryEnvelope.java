package dev.blitdb.server.http.queries;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.blitdb.blittable.BlitDocument;
import dev.blitdb.blittable.BlitJsonWriter;
import dev.blitdb.blittable.JsonSink;
import dev.blitdb.indexing.execution.QueryResult;
import dev.blitdb.storage.documents.StoredDocument;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Writes a query's answer, {@code {"Results":[...],"TotalResults":n,"SkippedResults":n,"IsStale":b,
 * "IndexName":"...","DurationInMs":n}}, into a {@link JsonSink} — the same bytes from the IO-thread path and the
 * worker path. One per thread, reused by every query the thread serves (one at a time), so an answer allocates
 * nothing: the documents go from the mapped store through the blittable JSON writer, numbers are rendered into a
 * scratch array, and the quoted index name is kept from the previous query while it is the same name.
 */
final class QueryEnvelope {

    private static final ThreadLocal<QueryEnvelope> PER_THREAD = ThreadLocal.withInitial(QueryEnvelope::new);
    private static final byte[] RESULTS_START = ascii("{\"Results\":[");
    private static final byte[] TOTAL = ascii("],\"TotalResults\":");
    private static final byte[] SKIPPED = ascii(",\"SkippedResults\":");
    private static final byte[] STALE = ascii(",\"IsStale\":true");
    private static final byte[] NOT_STALE = ascii(",\"IsStale\":false");
    private static final byte[] INDEX = ascii(",\"IndexName\":");
    private static final byte[] NULL = ascii("null");
    private static final byte[] DURATION = ascii(",\"DurationInMs\":");
    private static final byte[] END = {'}'};
    private static final byte[] COMMA = {','};

    private final BlitJsonWriter json = new BlitJsonWriter(8 * 1024);
    private final BlitDocument document = new BlitDocument();
    private final byte[] digits = new byte[20];
    private String indexName;
    private byte[] quotedIndexName;
    private int written;

    static QueryEnvelope get() {
        return PER_THREAD.get();
    }

    /** Starts an answer: {@code {"Results":[}. */
    void begin(JsonSink sink) throws IOException {
        written = 0;
        sink.write(RESULTS_START, 0, RESULTS_START.length);
    }

    /** One result: the whole document as GET sends it, or the query's projection of it. */
    void document(JsonSink sink, StoredDocument stored, ProjectionWriter projection) throws IOException {
        if (written++ > 0) {
            sink.write(COMMA, 0, 1);
        }
        if (projection == null) {
            json.write(stored.document(document), true, sink);
        } else {
            projection.write(stored.document(document), stored.id(), sink);
        }
    }

    /** Ends the answer with what the query answered besides its documents. */
    void finish(JsonSink sink, QueryResult result) throws IOException {
        sink.write(TOTAL, 0, TOTAL.length);
        number(sink, result.totalResults());
        sink.write(SKIPPED, 0, SKIPPED.length);
        number(sink, result.skippedResults());
        byte[] stale = result.isStale() ? STALE : NOT_STALE;
        sink.write(stale, 0, stale.length);
        sink.write(INDEX, 0, INDEX.length);
        byte[] name = quoted(result.indexName());
        sink.write(name, 0, name.length);
        sink.write(DURATION, 0, DURATION.length);
        number(sink, result.durationMillis());
        sink.write(END, 0, 1);
    }

    private byte[] quoted(String name) {
        if (name == null) {
            return NULL;
        }
        if (!name.equals(indexName)) {
            byte[] inner = JsonStringEncoder.getInstance().quoteAsUTF8(name);
            byte[] q = new byte[inner.length + 2];
            q[0] = '"';
            System.arraycopy(inner, 0, q, 1, inner.length);
            q[q.length - 1] = '"';
            indexName = name;
            quotedIndexName = q;
        }
        return quotedIndexName;
    }

    private void number(JsonSink sink, long value) throws IOException {
        if (value < 0) {
            byte[] text = Long.toString(value).getBytes(StandardCharsets.US_ASCII); // never on the query path
            sink.write(text, 0, text.length);
            return;
        }
        int at = digits.length;
        do {
            digits[--at] = (byte) ('0' + value % 10);
            value /= 10;
        } while (value != 0);
        sink.write(digits, at, digits.length - at);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}

package dev.blitdb.server.http.documents;

import dev.blitdb.blittable.BlitDocument;
import dev.blitdb.blittable.BlitJsonWriter;
import dev.blitdb.blittable.BlitWriter;
import dev.blitdb.blittable.JsonSink;
import dev.blitdb.server.http.json.JsonBody;
import dev.blitdb.storage.documents.StoredDocument;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The per-worker-thread tools of the document routes, reused across requests so a steady request stream
 * allocates almost nothing: a {@link BlitWriter} for request bodies (trimmed after a large one, so a thread never
 * keeps a buffer grown for one document), a {@link BlitJsonWriter} and flyweights for responses.
 *
 * <p>How a document reaches the client: the JSON writer reads the blittable bytes in place in the store's mapping
 * (valid while the request's read transaction is open) — no copy of the document, not even per thread — and hands
 * 8 KiB chunks to Undertow's blocking output stream, which copies them into its pooled (direct) response buffer and
 * writes that to the socket whenever it fills. There is no String, no byte[] of the whole document and no tree, so
 * a response in flight costs the chunk (plus a 72 KiB LZ4 window once a compressed string was written) whatever
 * the document's size; a document that fits the pooled buffer goes out with a Content-Length (Undertow sets it on
 * close), a larger one chunked. HEAD's Content-Length is counted from the layout ({@link BlitJsonWriter#measure}).
 */
final class DocumentOutput {

    private static final ThreadLocal<DocumentOutput> PER_THREAD = ThreadLocal.withInitial(DocumentOutput::new);
    private static final byte[] RESULTS_START = "{\"Results\":[".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] RESULTS_END = "]}".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NULL = "null".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] COMMA = {','};

    final StoredDocument stored = new StoredDocument();
    private final BlitJsonWriter json = new BlitJsonWriter(8 * 1024);
    private final BlitDocument document = new BlitDocument();
    private BlitWriter writer;
    private OutputStream out;
    private JsonSink sink;
    private int results;

    static DocumentOutput get() {
        return PER_THREAD.get();
    }

    /** The thread's JSON → blittable writer, made on first use (IO threads, which only read, never need one). */
    BlitWriter writer() {
        if (writer == null) {
            writer = new BlitWriter();
        }
        return writer;
    }

    /** Streams the document {@link #stored} points at into {@code sink}, in the client's property order. */
    void writeDocument(JsonSink to) throws IOException {
        json.write(stored.document(document), true, to);
    }

    /** The length of the JSON {@link #writeDocument()} would send, counted without rendering it (for HEAD). */
    long measureDocument() {
        return json.measure(stored.document(document));
    }

    /** Starts a 200 JSON response on {@code exchange} (blocking mode). */
    DocumentOutput begin(HttpServerExchange exchange) {
        exchange.setStatusCode(200);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, JsonBody.CONTENT_TYPE);
        OutputStream stream = exchange.getOutputStream();
        out = stream;
        sink = stream::write;
        results = 0;
        return this;
    }

    /** Streams the document {@link #stored} points at, in the client's property order. */
    void writeDocument() throws IOException {
        json.write(stored.document(document), true, sink);
    }

    void startResults() throws IOException {
        out.write(RESULTS_START);
    }

    /** Streams the next element of {@code Results}: the document {@link #stored} points at, or null. */
    void writeResult(boolean present) throws IOException {
        if (results++ > 0) {
            out.write(COMMA);
        }
        if (present) {
            writeDocument();
        } else {
            out.write(NULL);
        }
    }

    void endResults() throws IOException {
        out.write(RESULTS_END);
    }

    /** Completes the response (sets Content-Length if it all fit in one buffer) and forgets the stream. */
    void finish() throws IOException {
        OutputStream stream = out;
        forget();
        stream.close();
    }

    /** Drops the reference to the exchange's stream (after a failure too), so the thread does not keep it. */
    void forget() {
        out = null;
        sink = null;
    }
}

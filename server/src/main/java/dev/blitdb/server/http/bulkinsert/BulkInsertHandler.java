package dev.blitdb.server.http.bulkinsert;

import dev.blitdb.blittable.BlitBuilder;
import dev.blitdb.blittable.BlitDocument;
import dev.blitdb.blittable.BlitDocuments;
import dev.blitdb.blittable.BlitString;
import dev.blitdb.blittable.BlitWriter;
import dev.blitdb.server.databases.DatabaseLease;
import dev.blitdb.server.databases.DatabaseRegistry;
import dev.blitdb.server.http.body.LargeRequestBudget;
import dev.blitdb.server.http.errors.ApiError;
import dev.blitdb.server.http.errors.ApiException;
import dev.blitdb.server.http.errors.ExceptionMapping;
import dev.blitdb.server.http.json.JsonBody;
import dev.blitdb.server.http.routing.Params;
import dev.blitdb.storage.documents.DocumentCommand;
import dev.blitdb.storage.documents.DocumentIds;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;

import java.io.IOException;

/**
 * {@code POST /databases/{db}/bulk_insert}: the body is newline-delimited JSON, one document per line, each
 * naming its id in {@code @metadata.@id} (and its collection in {@code @metadata.@collection}). The stream is read
 * line by line — never whole — each line converted to blittable by this worker's {@link BlitWriter}, and the
 * documents committed in batches by a {@link BatchPipeline} while reading goes on. Answers
 * {@code {"Inserted":n,"Batches":b,"DurationInMs":ms}} once everything is durable.
 *
 * <p>A bad document (bad JSON, no id, too large) stops the insert after committing every document before it; a
 * failed commit stops it too. What was committed stays,
 * the rest of the body is read and dropped (so the client can finish sending and read the answer), and the error
 * carries {@code Index} (0-based position of the document in the stream), {@code Line} and {@code Committed}.
 */
final class BulkInsertHandler implements HttpHandler {

    static final int BATCH_DOCUMENTS = 2048;
    static final long BATCH_BYTES = 4L << 20;
    static final long IN_FLIGHT_BYTES = 16L << 20;

    private static final io.undertow.util.HttpString RETRY_AFTER = new io.undertow.util.HttpString("Retry-After");
    private static final ThreadLocal<Tools> TOOLS = ThreadLocal.withInitial(Tools::new);

    /** A worker thread's reusable converter and readers. */
    private static final class Tools {
        final BlitWriter writer = new BlitWriter();
        final BlitDocument document = new BlitDocument();
        final BlitString id = new BlitString();
    }

    private final DatabaseRegistry registry;
    private final long maxDocumentBytes;
    private final LargeRequestBudget budget;

    BulkInsertHandler(DatabaseRegistry registry, long maxDocumentBytes, LargeRequestBudget budget) {
        this.registry = registry;
        this.maxDocumentBytes = maxDocumentBytes;
        this.budget = budget;
    }

    /**
     * What one bulk insert holds at most, charged to the large-request budget for its whole run: the batch being
     * filled, the batches in flight, and a line and its blittable form at the document limit.
     */
    long heapCharge() {
        return BATCH_BYTES + IN_FLIGHT_BYTES + 2 * lineAllowance();
    }

    /** The line length {@link #heapCharge()} covers; a longer line is charged as the reader grows for it. */
    private long lineAllowance() {
        return Math.min(maxDocumentBytes, 4L << 20);
    }

    /**
     * The charge while the line reader holds {@code lineBuffer} bytes: a line past {@link #lineAllowance()} is
     * held three times over (the line, its blittable form, the copy queued in its batch) beyond what the base
     * charge covers.
     */
    long heapCharge(long lineBuffer) {
        return heapCharge() + 3 * Math.max(0, lineBuffer - lineAllowance());
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws IOException {
        long started = System.nanoTime();
        // Undertow cuts every request body at 2 MiB unless told otherwise (UndertowOptions.MAX_ENTITY_SIZE); a bulk
        // insert stream is unbounded by design (each line is bounded below), so lift the cap for this exchange
        // before its input stream is first opened.
        exchange.setMaxEntitySize(Long.MAX_VALUE);
        try (DatabaseLease lease = registry.acquire(Params.path(exchange, "db"));
             LargeRequestBudget.Grant grant = budget.acquire(heapCharge(), exchange)) {
            // A long line grows the grant before the reader grows for it: past the budget, the insert stops with
            // 503 ServerBusy after committing the documents before that line.
            LineReader lines = new LineReader(exchange.getInputStream(), maxDocumentBytes,
                    bytes -> grant.growTo(heapCharge(bytes), null));
            BatchPipeline pipeline = new BatchPipeline(lease.writes(), BATCH_DOCUMENTS, BATCH_BYTES, IN_FLIGHT_BYTES);
            Tools tools = TOOLS.get();
            long index = 0;
            try {
                while (lines.next()) {
                    if (isBlank(lines)) {
                        continue;
                    }
                    pipeline.add(convert(tools, lines, index), index);
                    index++;
                }
                long inserted = pipeline.finish();
                long batches = pipeline.batches();
                long millis = (System.nanoTime() - started) / 1_000_000;
                JsonBody.send(exchange, 200, json -> {
                    json.writeStartObject();
                    json.writeNumberField("Inserted", inserted);
                    json.writeNumberField("Batches", batches);
                    json.writeNumberField("DurationInMs", millis);
                    json.writeEndObject();
                });
            } catch (BatchPipeline.BulkInsertFailure e) {
                lines.drain();
                throw failure(e.getCause(), e.index, -1, pipeline.committed());
            } catch (RuntimeException e) {
                long committed = pipeline.commitBeforeFailure();
                if (e instanceof ApiException api && api.error() == ApiError.SERVER_BUSY) {
                    exchange.getResponseHeaders().put(RETRY_AFTER, LargeRequestBudget.RETRY_AFTER_SECONDS);
                }
                lines.drain();
                throw failure(e, index, lines.lineNumber(), committed);
            } catch (IOException e) {
                // The client went away mid-stream: nobody reads an answer, but submitted batches finish first so
                // the database lease is not released under them.
                pipeline.settle();
                throw e;
            } finally {
                tools.writer.trim(); // the thread keeps no buffer grown for one long line
            }
        }
    }

    private static boolean isBlank(LineReader lines) {
        byte[] b = lines.buffer();
        for (int i = lines.start(), end = lines.start() + lines.length(); i < end; i++) {
            if (b[i] != ' ' && b[i] != '\t' && b[i] != '\r') {
                return false;
            }
        }
        return true;
    }

    private static DocumentCommand.Put convert(Tools tools, LineReader lines, long index) {
        BlitBuilder built = tools.writer.convert(lines.buffer(), lines.start(), lines.length());
        // A copy: the batch outlives this line, and the writer's buffer is reused for the next one.
        byte[] blittable = built.toByteArray();
        tools.document.wrap(blittable);
        if (!BlitDocuments.metadataString(tools.document, BlitDocuments.ID_KEY, tools.id)) {
            throw ApiException.badRequest("document " + index + " (line " + lines.lineNumber()
                    + ") has no @metadata.@id string; every bulk insert line needs {\"@metadata\":{\"@id\":…}}");
        }
        String id = tools.id.toString();
        DocumentIds.key(id); // an invalid id fails here, naming this document, not later with its whole batch
        return new DocumentCommand.Put(id, blittable, null);
    }

    private static ApiException failure(Throwable cause, long index, long line, long committed) {
        ApiException mapped = ExceptionMapping.toApiException(cause);
        // The converter counts lines within the one-line document; in the stream, that is the line given below.
        String reason = mapped.getMessage().replace(" at line 1, column ", " at column ");
        String where = "bulk insert stopped at document " + index + (line > 0 ? " (line " + line + ")" : "")
                + "; " + committed + " documents before it were committed and stay: ";
        ApiException api = new ApiException(mapped.error(), where + reason, cause);
        mapped.details().forEach((k, v) -> {
            if (!k.equals("Line")) {
                api.with(k, v);
            }
        });
        api.with("Index", index).with("Committed", committed);
        if (line > 0) {
            api.with("Line", line);
        }
        return api;
    }
}

package dev.blitdb.server.http.dump;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.blitdb.indexing.definition.IndexDefinitionJson;
import dev.blitdb.indexing.manager.IndexBoost;
import dev.blitdb.server.databases.DatabaseLease;
import dev.blitdb.server.databases.DatabaseRegistry;
import dev.blitdb.server.http.bulkinsert.BatchPipeline;
import dev.blitdb.server.http.bulkinsert.LineReader;
import dev.blitdb.server.http.errors.ApiException;
import dev.blitdb.server.http.json.JsonEnvelope;
import dev.blitdb.server.http.errors.ExceptionMapping;
import dev.blitdb.server.http.json.JsonBody;
import dev.blitdb.server.http.routing.Params;
import dev.blitdb.server.indexes.IndexService;
import dev.blitdb.server.operations.OperationKind;
import dev.blitdb.server.operations.Progress;
import dev.blitdb.storage.documents.DocumentStore;
import dev.blitdb.storage.documents.DocumentWrites;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * {@code POST /databases/{db}/import}: reads a dump (gzip'd, or plain NDJSON) line by line — never whole — and
 * applies each record in stream order: index definitions (created or updated at their line, so an index builds
 * while the documents stream in), hi-lo counters (raised to at least the dump's value), documents (converted to
 * blittable on worker threads by {@link ParallelConversion}, committed in batches by the bulk-insert pipeline, so
 * reading waits while too much is in flight). Documents get new etags and change vectors in this database; ids,
 * collections and bodies are kept.
 *
 * <p>A malformed or unknown line stops the import: everything before that line is committed and stays, nothing
 * from it on is applied, and the 400 names the line ({@code Line}, {@code Committed}). A dump that ends without its
 * {@code End} record (truncated) is reported the same way, at the line after the last one.
 */
final class ImportHandler implements HttpHandler {

    private static final JsonFactory JSON = new JsonFactory();
    private final DatabaseRegistry registry;
    private final long maxLine;

    ImportHandler(DatabaseRegistry registry, long maxDocumentBytes) {
        this.registry = registry;
        this.maxLine = maxDocumentBytes + 1024;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        long started = System.nanoTime();
        exchange.setMaxEntitySize(Long.MAX_VALUE); // a dump is unbounded; each line is bounded by maxLine
        Map<String, Object> result;
        try (DatabaseLease lease = registry.acquire(Params.path(exchange, "db"))) {
            String name = lease.database().name().value();
            result = registry.operations().runHere(OperationKind.Import, name, "import into '" + name + "'",
                    progress -> run(exchange, lease, progress));
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        JsonBody.send(exchange, 200, json -> {
            json.writeStartObject();
            for (Map.Entry<String, Object> e : result.entrySet()) {
                json.writeNumberField(e.getKey(), ((Number) e.getValue()).longValue());
            }
            json.writeNumberField("DurationInMs", millis);
            json.writeEndObject();
        });
    }

    private Map<String, Object> run(HttpServerExchange exchange, DatabaseLease lease, Progress progress)
            throws IOException {
        progress.unit("lines");
        InputStream raw = new BufferedInputStream(exchange.getInputStream(), 1 << 16);
        raw.mark(2);
        boolean gzip = raw.read() == 0x1f && raw.read() == 0x8b;
        raw.reset();
        InputStream in = gzip ? new GZIPInputStream(raw, 1 << 16) : raw;
        LineReader lines = new LineReader(in, maxLine);
        String name = lease.database().name().value();
        // The database's Normal indexes (and those the dump creates) run at High until they have indexed the
        // import's last write: the import's own threads hold both cores at nice 0 (indexing/README.md).
        IndexBoost boost = lease.database().service(IndexService.class).map(s -> s.indexes().boost()).orElse(null);
        // The request thread reads and commits; the conversion to blittable (most of an import's CPU) runs on
        // as many threads as there are cores, chunk by chunk, handed back in stream order.
        try (ParallelConversion conversion = new ParallelConversion(name, CONVERTERS)) {
            return run(lines, lease, progress, conversion);
        } finally {
            if (boost != null) {
                try (var reader = lease.store().beginRead()) {
                    boost.endWhenCaughtUp(reader.lastEtag());
                }
            }
        }
    }

    private static final int CONVERTERS = Math.min(4, Runtime.getRuntime().availableProcessors());

    /** What one import has done so far: the pipeline's committed documents plus the records applied. */
    private static final class State {
        final BatchPipeline pipeline;
        long definitions;
        long hilo;

        State(BatchPipeline pipeline) {
            this.pipeline = pipeline;
        }
    }

    private Map<String, Object> run(LineReader lines, DatabaseLease lease, Progress progress,
                                    ParallelConversion conversion) throws IOException {
        DocumentStore store = lease.store();
        // Writes go where the database takes them: on a cluster node, through its group's log.
        DocumentWrites writes = lease.writes();
        State state = new State(new BatchPipeline(writes, 2048, 4L << 20, 16L << 20));
        BatchPipeline pipeline = state.pipeline;
        long documentLines = 0;
        boolean header = false;
        boolean ended = false;
        try {
            while (lines.next()) {
                long line = lines.lineNumber();
                if (blank(lines)) {
                    continue;
                }
                if (ended) {
                    throw lineError(line, "a record follows the End record");
                }
                if ((line & 1023) == 0) {
                    progress.processed(line);
                    progress.checkCancelled();
                }
                if (!header) {
                    header(lines, line);
                    header = true;
                    continue;
                }
                if (startsWith(lines, DumpFormat.DOCUMENT_PREFIX)) {
                    int end = lastBrace(lines, line);
                    int from = lines.start() + DumpFormat.DOCUMENT_PREFIX.length;
                    apply(state, conversion.add(lines.buffer(), from, end - from, line), progress);
                    apply(state, conversion.poll(), progress);
                    documentLines++;
                    continue;
                }
                // Any other record applies after every document before it.
                drain(state, conversion, progress);
                Map.Entry<String, byte[]> record = record(lines, line);
                switch (record.getKey()) {
                    case DumpFormat.INDEX_DEFINITION -> {
                        byte[] json = record.getValue();
                        var defs = IndexDefinitionJson.parse(json, 0, json.length);
                        var service = lease.database().service(IndexService.class);
                        if (service.isPresent()) {
                            // Created now, so the index builds while the documents stream in (on 2 cores the
                            // merger is the serial step; a build after the import ran twice as long at 1M).
                            service.get().indexes().put(defs);
                        }
                        state.definitions += defs.size();
                    }
                    case DumpFormat.HI_LO -> {
                        Map<String, Object> f = fields(record.getValue(), line);
                        if (!(f.get("Tag") instanceof String tag) || !(f.get("Last") instanceof Long last)) {
                            throw lineError(line, "a HiLo record needs {\"Tag\":string,\"Last\":number}");
                        }
                        raiseHiLo(store, writes, tag, last, line);
                        state.hilo++;
                    }
                    case DumpFormat.END -> {
                        Map<String, Object> f = fields(record.getValue(), line);
                        if (!(f.get("Documents") instanceof Long n) || n != documentLines) {
                            throw lineError(line, "the End record counts " + f.get("Documents")
                                    + " documents but the dump held " + documentLines);
                        }
                        ended = true;
                    }
                    case DumpFormat.HEADER -> throw lineError(line, "a second Header record");
                    default -> throw lineError(line, "unknown record type \"" + record.getKey() + "\"; expected "
                            + "IndexDefinition, HiLo, Document or End (server/EXPORT.md)");
                }
            }
            drain(state, conversion, progress);
            if (!header) {
                throw lineError(1, "the body is empty; a dump starts with its Header line");
            }
            if (!ended) {
                throw lineError(lines.lineNumber() + 1, "the dump ends without its End record (truncated?)");
            }
            long committed = pipeline.finish();
            progress.processed(lines.lineNumber());
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("Documents", committed);
            r.put("IndexDefinitions", state.definitions);
            r.put("HiLo", state.hilo);
            r.put("Lines", lines.lineNumber());
            return r;
        } catch (BatchPipeline.BulkInsertFailure e) {
            lines.drain();
            throw failure(e.getCause(), e.index, pipeline.committed());
        } catch (RuntimeException e) {
            // Documents converted before the failing line (on the workers) are committed first; one that failed
            // at an earlier line is the one reported.
            // A conversion failure comes in stream order, so nothing after it is applied.
            RuntimeException first = e;
            long line = e instanceof ParallelConversion.LineFailure f ? f.line : lines.lineNumber();
            if (!(e instanceof ParallelConversion.LineFailure)) {
                try {
                    drain(state, conversion, progress);
                } catch (ParallelConversion.LineFailure earlier) {
                    first = earlier;
                    line = earlier.line;
                } catch (RuntimeException ignored) {
                    // the failure being reported stands
                }
            }
            long committed = pipeline.commitBeforeFailure();
            lines.drain();
            throw failure(first instanceof ParallelConversion.LineFailure f ? f.getCause() : first, line, committed);
        } catch (IOException e) {
            pipeline.settle();
            throw e;
        }
    }

    /** Hands every converted chunk still out to the pipeline, in order. */
    private static void drain(State state, ParallelConversion conversion, Progress progress) {
        for (ParallelConversion.Converted c; (c = conversion.next()) != null; ) {
            apply(state, c, progress);
        }
    }

    /** Submits a converted chunk's documents; throws its failure (with its line) after the documents before it. */
    private static void apply(State state, ParallelConversion.Converted c, Progress progress) {
        if (c == null) {
            return;
        }
        for (int i = 0; i < c.puts().size(); i++) {
            state.pipeline.add(c.puts().get(i), c.lines()[i]);
        }
        progress.addBytes(c.bytes());
        if (c.failure() != null) {
            throw new ParallelConversion.LineFailure(c.failedLine(), c.failure());
        }
    }

    /** Raises a tag's counter to at least {@code last} (reservations go up to a million at a time). */
    private static void raiseHiLo(DocumentStore store, DocumentWrites writes, String tag, long last, long line) {
        long current;
        try (var r = store.beginRead()) {
            current = r.hiLo().getOrDefault(tag.toLowerCase(java.util.Locale.ROOT), 0L);
        }
        long need = last - current;
        if (need > 1_000_000_000L) {
            throw lineError(line, "HiLo Last " + last + " for \"" + tag + "\" is more than a billion above the "
                    + "current " + current);
        }
        while (need > 0) {
            long step = Math.min(need, 1_000_000);
            writes.reserveIds(tag, step).join();
            need -= step;
        }
    }

    private static void header(LineReader lines, long line) {
        Map.Entry<String, byte[]> record = record(lines, line);
        if (!record.getKey().equals(DumpFormat.HEADER)) {
            throw lineError(line, "the first line must be the Header record, found \"" + record.getKey() + "\"");
        }
        Map<String, Object> f = fields(record.getValue(), line);
        if (!DumpFormat.FORMAT.equals(f.get("Format"))) {
            throw lineError(line, "Header.Format is " + f.get("Format") + ", expected \"" + DumpFormat.FORMAT + "\"");
        }
        if (!(f.get("FormatVersion") instanceof Long v) || v != DumpFormat.VERSION) {
            throw lineError(line, "Header.FormatVersion is " + f.get("FormatVersion") + "; this server reads "
                    + DumpFormat.VERSION);
        }
    }

    /** A one-field object line: the field's name and the raw JSON bytes of its value. */
    private static Map.Entry<String, byte[]> record(LineReader lines, long line) {
        try (JsonParser p = JSON.createParser(lines.buffer(), lines.start(), lines.length())) {
            if (p.nextToken() != JsonToken.START_OBJECT || p.nextToken() != JsonToken.FIELD_NAME) {
                throw lineError(line, "expected an object with one field naming the record type");
            }
            String type = p.currentName();
            p.nextToken();
            var out = new java.io.ByteArrayOutputStream();
            try (var g = JSON.createGenerator(out)) {
                g.copyCurrentStructure(p);
            }
            if (p.nextToken() != JsonToken.END_OBJECT) {
                throw lineError(line, "a record line holds exactly one field (the record type)");
            }
            return Map.entry(type, out.toByteArray());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            // The one shape of malformed JSON (InvalidJson, numeric Line/Column); failure() turns the position
            // within the line into the stream's Line and the line's Column.
            throw JsonEnvelope.located(dev.blitdb.server.http.errors.ApiError.INVALID_JSON, "not valid JSON: "
                    + e.getOriginalMessage(), e.getLocation());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Map<String, Object> fields(byte[] json, long line) {
        Map<String, Object> f = new LinkedHashMap<>();
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw lineError(line, "the record's value must be an object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String k = p.currentName();
                JsonToken t = p.nextToken();
                f.put(k, t == JsonToken.VALUE_NUMBER_INT ? (Object) p.getLongValue()
                        : t == JsonToken.VALUE_STRING ? p.getText() : null);
                p.skipChildren();
            }
        } catch (IOException e) {
            throw lineError(line, "not valid JSON: " + e.getMessage());
        }
        return f;
    }

    private static boolean startsWith(LineReader lines, byte[] prefix) {
        if (lines.length() < prefix.length) {
            return false;
        }
        byte[] b = lines.buffer();
        for (int i = 0; i < prefix.length; i++) {
            if (b[lines.start() + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /** Offset of the closing brace of a Document line (trailing blanks allowed). */
    private static int lastBrace(LineReader lines, long line) {
        byte[] b = lines.buffer();
        for (int i = lines.start() + lines.length() - 1; i >= lines.start(); i--) {
            if (b[i] == '}') {
                return i;
            }
            if (b[i] != ' ' && b[i] != '\t' && b[i] != '\r') {
                break;
            }
        }
        throw lineError(line, "a Document line must end with the closing brace of its record");
    }

    private static boolean blank(LineReader lines) {
        byte[] b = lines.buffer();
        for (int i = lines.start(), end = lines.start() + lines.length(); i < end; i++) {
            if (b[i] != ' ' && b[i] != '\t' && b[i] != '\r') {
                return false;
            }
        }
        return true;
    }

    static ApiException lineError(long line, String message) {
        return new ApiException(dev.blitdb.server.http.errors.ApiError.BAD_REQUEST, "line " + line + ": " + message)
                .with("Line", line);
    }

    private static ApiException failure(Throwable cause, long line, long committed) {
        ApiException mapped = ExceptionMapping.toApiException(cause);
        String reason = mapped.getMessage().replace(" at line 1, column ", " at column ");
        if (!reason.startsWith("line ")) {
            reason = "line " + line + ": " + reason;
        }
        ApiException api = new ApiException(mapped.error(), "import stopped at " + reason + "; everything before "
                + "that line was applied and stays (" + committed + " documents)", cause);
        mapped.details().forEach((k, v) -> {
            if (!k.equals("Line")) {
                api.with(k, v);
            }
        });
        return api.with("Line", line).with("Committed", committed);
    }
}

package dev.blitdb.server.http.dump;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.blitdb.blittable.BlitDocument;
import dev.blitdb.blittable.BlitJsonWriter;
import dev.blitdb.blittable.JsonSink;
import dev.blitdb.indexing.definition.IndexDefinition;
import dev.blitdb.indexing.definition.IndexDefinitionJson;
import dev.blitdb.server.databases.DatabaseLease;
import dev.blitdb.server.databases.DatabaseRegistry;
import dev.blitdb.server.http.routing.Params;
import dev.blitdb.server.indexes.IndexService;
import dev.blitdb.server.operations.OperationKind;
import dev.blitdb.server.operations.Progress;
import dev.blitdb.storage.backup.BackupManifest;
import dev.blitdb.storage.documents.DocumentIterator;
import dev.blitdb.storage.documents.DocumentReader;
import dev.blitdb.storage.documents.StoredDocument;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * {@code GET /databases/{db}/export}: streams the database as a dump — header, index definitions, hi-lo counters,
 * every document in etag order, end record — gzip'd, from one read snapshot (a consistent point, taken while
 * writes go on). Documents stream from the mapped blittable through the JSON writer; nothing is held whole. The
 * export is also an operation (kind {@code Export}) while it runs.
 */
final class ExportHandler implements HttpHandler {

    private static final JsonFactory JSON = new JsonFactory();
    private final DatabaseRegistry registry;

    ExportHandler(DatabaseRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        try (DatabaseLease lease = registry.acquire(Params.path(exchange, "db"))) {
            String name = lease.database().name().value();
            List<IndexDefinition> definitions = lease.database().service(IndexService.class)
                    .map(s -> s.indexes().definitions()).orElse(List.of());
            try (DocumentReader reader = lease.store().beginRead()) {
                exchange.setStatusCode(200);
                exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/gzip");
                exchange.getResponseHeaders().put(Headers.CONTENT_DISPOSITION, "attachment; filename=\"" + name + "-"
                        + reader.lastEtag() + ".ndjson.gz\"");
                registry.operations().runHere(OperationKind.Export, name, "export of '" + name + "'",
                        progress -> write(exchange.getOutputStream(), name, lease.store().databaseId(), definitions,
                                reader, progress));
            }
        }
        exchange.endExchange();
    }

    private static Map<String, Object> write(OutputStream body, String name, String databaseId,
                                             List<IndexDefinition> definitions, DocumentReader reader,
                                             Progress progress) throws IOException {
        progress.unit("documents");
        progress.total(reader.documentCount());
        var counting = new CountingOutputStream(body);
        // DEFLATE level 1: much faster than the default 6 for somewhat more bytes; a dump's size matters less
        // than the time it holds its snapshot open.
        var deflating = new GZIPOutputStream(counting, 1 << 16) {
            {
                def.setLevel(java.util.zip.Deflater.BEST_SPEED);
            }
        };
        // The deflater is fed 64 KiB at a time, not once per document and per brace (each write is a native call).
        var gzip = new java.io.BufferedOutputStream(deflating, 1 << 16);
        JsonGenerator json = JSON.createGenerator(gzip);
        json.configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);
        json.configure(JsonGenerator.Feature.FLUSH_PASSED_TO_STREAM, false);
        json.setRootValueSeparator(null);
        json.writeStartObject();
        json.writeObjectFieldStart(DumpFormat.HEADER);
        json.writeStringField("Format", DumpFormat.FORMAT);
        json.writeNumberField("FormatVersion", DumpFormat.VERSION);
        json.writeStringField("Database", name);
        json.writeStringField("DatabaseId", databaseId);
        json.writeNumberField("LastEtag", reader.lastEtag());
        json.writeNumberField("Documents", reader.documentCount());
        json.writeStringField("CreatedAt", Instant.now().toString());
        json.writeStringField("BlitDbVersion", BackupManifest.buildVersion());
        json.writeEndObject();
        json.writeEndObject();
        json.flush();
        gzip.write('\n');
        for (IndexDefinition d : definitions) {
            gzip.write(("{\"" + DumpFormat.INDEX_DEFINITION + "\":").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            gzip.write(IndexDefinitionJson.write(d));
            gzip.write('}');
            gzip.write('\n');
        }
        Map<String, Long> hilo = reader.hiLo();
        for (Map.Entry<String, Long> e : hilo.entrySet()) {
            json.writeStartObject();
            json.writeObjectFieldStart(DumpFormat.HI_LO);
            json.writeStringField("Tag", e.getKey());
            json.writeNumberField("Last", e.getValue());
            json.writeEndObject();
            json.writeEndObject();
            json.flush();
            gzip.write('\n');
        }
        BlitJsonWriter writer = new BlitJsonWriter();
        JsonSink sink = JsonSink.of(gzip);
        BlitDocument doc = new BlitDocument();
        StoredDocument stored = new StoredDocument();
        DocumentIterator it = reader.byEtag(0);
        long n = 0;
        while (it.next(stored)) {
            if ((n & 255) == 0) {
                it.prefetchNext(256);
                progress.checkCancelled();
                progress.processed(n);
                progress.addBytes(counting.take());
            }
            gzip.write(DumpFormat.DOCUMENT_PREFIX);
            writer.write(stored.document(doc), true, sink);
            gzip.write('}');
            gzip.write('\n');
            n++;
        }
        json.writeStartObject();
        json.writeObjectFieldStart(DumpFormat.END);
        json.writeNumberField("Documents", n);
        json.writeNumberField("IndexDefinitions", definitions.size());
        json.writeNumberField("HiLo", hilo.size());
        json.writeEndObject();
        json.writeEndObject();
        json.flush();
        gzip.write('\n');
        gzip.flush();
        deflating.finish();
        deflating.flush();
        progress.processed(n);
        progress.addBytes(counting.take());
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("Documents", n);
        r.put("IndexDefinitions", definitions.size());
        r.put("HiLo", hilo.size());
        r.put("LastEtag", reader.lastEtag());
        r.put("CompressedBytes", counting.total);
        return r;
    }

    /** Counts the compressed bytes that reach the client. */
    private static final class CountingOutputStream extends java.io.FilterOutputStream {
        long total;
        private long untaken;

        CountingOutputStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            total += len;
            untaken += len;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            total++;
            untaken++;
        }

        long take() {
            long t = untaken;
            untaken = 0;
            return t;
        }
    }
}

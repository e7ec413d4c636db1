package dev.blitdb.server.http.indexes;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.blitdb.indexing.definition.IndexDefinitionJson;
import dev.blitdb.indexing.manager.IndexManager;
import dev.blitdb.indexing.worker.IndexErrors;
import dev.blitdb.indexing.worker.IndexProgress;
import dev.blitdb.indexing.worker.IndexStats;
import dev.blitdb.indexing.worker.IndexWorker;
import dev.blitdb.server.databases.DatabaseLease;
import dev.blitdb.server.databases.DatabaseRegistry;
import dev.blitdb.server.http.json.JsonBody;
import dev.blitdb.server.http.routing.Params;
import dev.blitdb.server.indexes.IndexService;
import io.undertow.server.HttpServerExchange;

import java.io.IOException;
import java.util.List;

/** Index information: definitions, stats (with the nice value read back from the OS), errors, staleness. */
final class IndexInfoHandlers {

    private final DatabaseRegistry registry;

    IndexInfoHandlers(DatabaseRegistry registry) {
        this.registry = registry;
    }

    /** The workers a request is about: {@code ?name=} one (404 if unknown), else all. */
    private static List<IndexWorker> selected(HttpServerExchange exchange, DatabaseLease lease) {
        IndexManager indexes = IndexService.of(lease.database()).indexes();
        String name = Params.optional(exchange, "name");
        return name == null ? indexes.workers() : List.of(indexes.require(name));
    }

    /** Writes one element of {@code Results}. */
    @FunctionalInterface
    private interface ResultWriter<T> {
        void write(JsonGenerator json, T item) throws IOException;
    }

    /** Answers {@code {"Results":[...]}} with one element per item. */
    private static <T> void sendResults(HttpServerExchange exchange, List<T> items, ResultWriter<T> writer)
            throws IOException {
        JsonBody.send(exchange, 200, json -> {
            json.writeStartObject();
            json.writeArrayFieldStart("Results");
            for (T item : items) {
                writer.write(json, item);
            }
            json.writeEndArray();
            json.writeEndObject();
        });
    }

    /** {@code GET /databases/{db}/indexes[?name=]}: {"Results":[definition...]}. */
    void definitions(HttpServerExchange exchange) throws IOException {
        try (DatabaseLease lease = registry.acquire(Params.path(exchange, "db"))) {
            sendResults(exchange, selected(exchange, lease),
                    (json, worker) -> IndexDefinitionJson.write(worker.definition(), json));
        }
    }

    /** {@code GET /databases/{db}/indexes/stats[?name=]}. */
    void stats(HttpServerExchange exchange) throws IOException {
        try (DatabaseLease lease = registry.acquire(Params.path(exchange, "db"))) {
            sendResults(exchange, selected(exchange, lease).stream()
                    .map(w -> new StatsAndProgress(w.stats(), w.progress())).toList(), IndexInfoHandlers::writeStats);
        }
    }

    private record StatsAndProgress(IndexStats stats, IndexProgress progress) {
    }

    private static void writeStats(JsonGenerator json, StatsAndProgress sp) throws IOException {
        IndexStats s = sp.stats();
        IndexProgress p = sp.progress();
        json.writeStartObject();
        json.writeStringField("Name", s.name());
        json.writeStringField("Collection", s.collection());
        json.writeStringField("Priority", s.priority().wireName());
        json.writeNumberField("RequestedNice", s.priority().nice());
        if (s.effectiveNice() == null) {
            json.writeNullField("EffectiveNice");
        } else {
            json.writeNumberField("EffectiveNice", s.effectiveNice());
        }
        if (s.threadId() == null) {
            json.writeNullField("ThreadId");
        } else {
            json.writeNumberField("ThreadId", s.threadId());
        }
        json.writeStringField("ThreadName", s.threadName());
        json.writeStringField("State", s.state().wireName());
        json.writeBooleanField("IsStale", s.stale());
        json.writeNumberField("Entries", s.entries());
        json.writeNumberField("LastIndexedEtag", s.lastDocumentEtag());
        json.writeNumberField("LastTombstoneEtag", s.lastTombstoneEtag());
        json.writeNumberField("DocumentsIndexed", s.documentsIndexed());
        json.writeNumberField("TombstonesApplied", s.tombstonesApplied());
        json.writeNumberField("DocumentsPerSecond", Math.round(s.documentsPerSecond() * 10) / 10.0);
        json.writeNumberField("Batches", s.batches());
        json.writeNumberField("DocumentsAdded", s.documentsAdded());
        json.writeNumberField("Refreshes", s.refreshes());
        json.writeNumberField("Commits", s.commits());
        json.writeNumberField("IndexingTimeInMs", s.indexingMillis());
        json.writeNumberField("ErrorsCount", s.errors());
        json.writeNumberField("PrefetchCalls", s.prefetchCalls());
        json.writeNumberField("PrefetchedDocuments", s.prefetchedDocuments());
        json.writeNumberField("SizeOnDiskInBytes", s.sizeOnDisk());
        json.writeNumberField("PriorityHandoffs", s.priorityHandoffs());
        json.writeNumberField("LagDocuments", p.lagDocuments());
        json.writeNumberField("LagEtags", p.lagEtags());
        json.writeNumberField("LastBatchDurationInMs", p.lastBatchNanos() / 1e6);
        json.writeObjectFieldStart("Progress");
        json.writeNumberField("Processed", p.processed());
        json.writeNumberField("Total", p.total());
        json.writeNumberField("Percent", Math.floor(p.percent() * 10) / 10.0);
        json.writeNumberField("DocumentsPerSecond", Math.round(p.documentsPerSecond() * 10) / 10.0);
        if (p.etaSeconds() < 0) {
            json.writeNullField("EtaSeconds");
        } else {
            json.writeNumberField("EtaSeconds", Math.round(p.etaSeconds() * 10) / 10.0);
        }
        json.writeEndObject();
        json.writeEndObject();
    }

    /** {@code GET /databases/{db}/indexes/errors[?name=]}: the recent documents each index skipped. */
    void errors(HttpServerExchange exchange) throws IOException {
        try (DatabaseLease lease = registry.acquire(Params.path(exchange, "db"))) {
            sendResults(exchange, selected(exchange, lease), (json, worker) -> {
                json.writeStartObject();
                json.writeStringField("Name", worker.definition().name());
                json.writeNumberField("Total", worker.errors().total());
                json.writeArrayFieldStart("Errors");
                for (IndexErrors.IndexError e : worker.errors().recent()) {
                    json.writeStartObject();
                    json.writeStringField("Document", e.documentId());
                    json.writeNumberField("Etag", e.etag());
                    json.writeStringField("Error", e.message());
                    json.writeStringField("Timestamp", e.at().toString());
                    json.writeEndObject();
                }
                json.writeEndArray();
                json.writeEndObject();
            });
        }
    }

    /** {@code GET /databases/{db}/indexes/staleness?name=}: {"IsStale":..,"StalenessReasons":[...]}. */
    void staleness(HttpServerExchange exchange) throws IOException {
        try (DatabaseLease lease = registry.acquire(Params.path(exchange, "db"))) {
            IndexWorker worker = IndexService.of(lease.database()).indexes().require(Params.required(exchange, "name"));
            List<String> reasons = worker.stalenessReasons();
            boolean stale = worker.stats().stale();
            JsonBody.send(exchange, 200, json -> {
                json.writeStartObject();
                json.writeStringField("Name", worker.definition().name());
                json.writeBooleanField("IsStale", stale);
                json.writeArrayFieldStart("StalenessReasons");
                for (String reason : reasons) {
                    json.writeString(reason);
                }
                json.writeEndArray();
                json.writeEndObject();
            });
        }
    }
}

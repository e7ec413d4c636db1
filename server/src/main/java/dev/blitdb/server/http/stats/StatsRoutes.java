package dev.blitdb.server.http.stats;

import dev.blitdb.server.databases.DatabaseLease;
import dev.blitdb.server.databases.DatabaseRegistry;
import dev.blitdb.indexing.worker.IndexStats;
import dev.blitdb.server.http.json.JsonBody;
import dev.blitdb.server.indexes.IndexService;
import dev.blitdb.server.http.routing.Blocking;
import dev.blitdb.server.http.routing.Params;
import dev.blitdb.server.http.routing.RouteFamily;
import dev.blitdb.server.http.routing.RouteTable;
import dev.blitdb.storage.documents.DatabaseStats;
import dev.blitdb.storage.engine.Limits;
import dev.blitdb.storage.merger.MergerStats;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Methods;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /databases/{db}/stats} (counts, last etag, file and page numbers, merger numbers) and
 * {@code GET /databases/{db}/collections/stats} (documents per collection). Index numbers join the first once
 * the index routes exist.
 */
public final class StatsRoutes implements RouteFamily {

    private final DatabaseRegistry registry;

    public StatsRoutes(DatabaseRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void register(RouteTable routes) {
        routes.add(Methods.GET, "/databases/{db}/stats", Blocking.dispatch(this::database))
                .add(Methods.GET, "/databases/{db}/collections/stats", Blocking.dispatch(this::collections));
    }

    private void database(HttpServerExchange exchange) throws IOException {
        DatabaseStats s;
        MergerStats merger;
        String name;
        List<IndexStats> indexes;
        try (DatabaseLease lease = registry.acquire(Params.path(exchange, "db"))) {
            s = lease.store().stats();
            merger = lease.store().merger().stats();
            name = lease.database().name().value();
            indexes = lease.database().service(IndexService.class).map(i -> i.indexes().stats()).orElse(List.of());
        }
        JsonBody.send(exchange, 200, json -> {
            json.writeStartObject();
            json.writeStringField("Database", name);
            json.writeStringField("DatabaseId", s.databaseId());
            json.writeNumberField("CountOfDocuments", s.documents());
            json.writeNumberField("CountOfTombstones", s.tombstones());
            json.writeNumberField("CountOfCollections", s.collections().size());
            json.writeNumberField("LastEtag", s.lastEtag());
            json.writeNumberField("SizeOnDiskBytes", s.fileBytes());
            json.writeNumberField("PageSize", Limits.PAGE_SIZE);
            json.writeNumberField("UsedPages", s.usedPages());
            json.writeNumberField("FreePages", s.freePages());
            json.writeNumberField("PendingPages", s.pendingPages());
            json.writeObjectFieldStart("Merger");
            json.writeNumberField("Commits", merger.commits());
            json.writeNumberField("Operations", merger.operations());
            json.writeNumberField("Rejected", merger.rejected());
            json.writeNumberField("Replays", merger.replays());
            json.writeNumberField("OperationsPerCommit", merger.operationsPerCommit());
            json.writeEndObject();
            // The index summary; /indexes/stats has every number.
            json.writeNumberField("CountOfIndexes", indexes.size());
            json.writeNumberField("CountOfStaleIndexes", indexes.stream().filter(IndexStats::stale).count());
            json.writeArrayFieldStart("Indexes");
            for (IndexStats index : indexes) {
                json.writeStartObject();
                json.writeStringField("Name", index.name());
                json.writeStringField("State", index.state().wireName());
                json.writeBooleanField("IsStale", index.stale());
                json.writeStringField("Priority", index.priority().wireName());
                json.writeNumberField("Entries", index.entries());
                json.writeNumberField("LastIndexedEtag", index.lastDocumentEtag());
                json.writeNumberField("ErrorsCount", index.errors());
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        });
    }

    private void collections(HttpServerExchange exchange) throws IOException {
        DatabaseStats s;
        try (DatabaseLease lease = registry.acquire(Params.path(exchange, "db"))) {
            s = lease.store().stats();
        }
        JsonBody.send(exchange, 200, json -> {
            json.writeStartObject();
            json.writeNumberField("CountOfDocuments", s.documents());
            json.writeObjectFieldStart("Collections");
            for (Map.Entry<String, Long> e : s.collections().entrySet()) {
                json.writeNumberField(e.getKey(), e.getValue());
            }
            json.writeEndObject();
            json.writeEndObject();
        });
    }
}

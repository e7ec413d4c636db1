package dev.blitdb.server.http.indexes;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.blitdb.indexing.definition.IndexDefinition;
import dev.blitdb.indexing.definition.IndexDefinitionJson;
import dev.blitdb.indexing.definition.IndexPriority;
import dev.blitdb.indexing.manager.IndexManager;
import dev.blitdb.server.databases.DatabaseLease;
import dev.blitdb.server.databases.DatabaseRegistry;
import dev.blitdb.server.http.body.RequestBodyReader;
import dev.blitdb.server.http.errors.ApiException;
import dev.blitdb.server.http.json.JsonBody;
import dev.blitdb.server.http.json.JsonEnvelope;
import dev.blitdb.server.http.routing.Params;
import dev.blitdb.server.indexes.IndexService;
import io.undertow.server.HttpServerExchange;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Index changes: create/update definitions, drop, reset, pause/resume, set priority. */
final class IndexAdminHandlers {

    private final DatabaseRegistry registry;
    private final RequestBodyReader bodies;

    IndexAdminHandlers(DatabaseRegistry registry, RequestBodyReader bodies) {
        this.registry = registry;
        this.bodies = bodies;
    }

    private IndexManager indexes(DatabaseLease lease) {
        return IndexService.of(lease.database()).indexes();
    }

    /** {@code PUT /databases/{db}/admin/indexes}: one definition, an array, or {"Indexes":[...]}. */
    void put(HttpServerExchange exchange) throws Exception {
        try (DatabaseLease lease = registry.acquire(Params.path(exchange, "db"))) {
            var body = bodies.read(exchange);
            List<IndexDefinition> definitions = JsonEnvelope.read(body.array(), body.length(),
                    IndexDefinitionJson::parse);
            for (IndexDefinition d : definitions) {
                if (d.isAuto()) {
                    throw ApiException.badRequest("index name '" + d.name() + "' starts with '"
                            + IndexDefinition.AUTO_PREFIX + "', which is kept for automatic indexes");
                }
                if (d.name().regionMatches(true, 0, IndexManager.REPLACEMENT_PREFIX, 0,
                        IndexManager.REPLACEMENT_PREFIX.length())) {
                    throw ApiException.badRequest("index name '" + d.name() + "' starts with '"
                            + IndexManager.REPLACEMENT_PREFIX + "', which names the side-by-side build of a changed "
                            + "index; put the changed definition under the index's own name");
                }
            }
            Map<String, IndexManager.PutOutcome> outcomes = indexes(lease).put(definitions);
            boolean created = outcomes.containsValue(IndexManager.PutOutcome.CREATED);
            Map<String, Long> operations = new java.util.HashMap<>();
            String db = lease.database().name().value();
            outcomes.forEach((name, outcome) -> {
                if (outcome == IndexManager.PutOutcome.REPLACING) {
                    operations.put(name, dev.blitdb.server.indexes.IndexBuildOperation.follow(registry.operations(),
                            db, indexes(lease), name).id());
                }
            });
            JsonBody.send(exchange, created ? 201 : 200, json -> {
                json.writeStartObject();
                json.writeArrayFieldStart("Results");
                for (var entry : outcomes.entrySet()) {
                    json.writeStartObject();
                    json.writeStringField("Name", entry.getKey());
                    json.writeStringField("Outcome", switch (entry.getValue()) {
                        case CREATED -> "Created";
                        case REBUILT -> "Rebuilt";
                        case REPLACING -> "Replacing";
                        case PRIORITY_CHANGED -> "PriorityChanged";
                        case UNCHANGED -> "Unchanged";
                    });
                    if (operations.containsKey(entry.getKey())) {
                        json.writeNumberField("OperationId", operations.get(entry.getKey()));
                    }
                    json.writeEndObject();
                }
                json.writeEndArray();
                json.writeEndObject();
            });
        }
    }

    /** An index action answered with 204: {@code name} is the {@code ?name=} parameter (null when absent). */
    @FunctionalInterface
    private interface Action {
        void apply(IndexManager indexes, String name) throws Exception;
    }

    private void noContent(HttpServerExchange exchange, boolean nameRequired, Action action) throws Exception {
        try (DatabaseLease lease = registry.acquire(Params.path(exchange, "db"))) {
            String name = nameRequired ? Params.required(exchange, "name") : Params.optional(exchange, "name");
            action.apply(indexes(lease), name);
            exchange.setStatusCode(204);
            exchange.endExchange();
        }
    }

    /** {@code DELETE /databases/{db}/indexes?name=}. */
    void delete(HttpServerExchange exchange) throws Exception {
        noContent(exchange, true, IndexManager::delete);
    }

    /**
     * {@code RESET /databases/{db}/indexes?name=}: empties the index and answers 202 {@code {"OperationId"}}; the
     * rebuild is followed as an {@code IndexRebuild} operation.
     */
    void reset(HttpServerExchange exchange) throws Exception {
        try (DatabaseLease lease = registry.acquire(Params.path(exchange, "db"))) {
            String name = Params.required(exchange, "name");
            var op = dev.blitdb.server.indexes.IndexBuildOperation.reset(registry.operations(),
                    lease.database().name().value(), indexes(lease), name);
            dev.blitdb.server.http.operations.OperationJson.accepted(exchange, op);
        }
    }

    /** {@code POST /databases/{db}/admin/indexes/stop[?name=]}: one index, or all. */
    void stop(HttpServerExchange exchange) throws Exception {
        noContent(exchange, false, IndexManager::stop);
    }

    /** {@code POST /databases/{db}/admin/indexes/start[?name=]}: one index, or all. */
    void start(HttpServerExchange exchange) throws Exception {
        noContent(exchange, false, IndexManager::start);
    }

    /** {@code POST /databases/{db}/indexes/set-priority} with {"IndexNames":[...],"Priority":"High"} → 204. */
    void setPriority(HttpServerExchange exchange) throws Exception {
        try (DatabaseLease lease = registry.acquire(Params.path(exchange, "db"))) {
            var body = bodies.read(exchange);
            List<String> names = new ArrayList<>();
            String priority = JsonEnvelope.read(body.array(), body.length(), p -> priorityRequest(p, names));
            if (names.isEmpty()) {
                throw ApiException.badRequest("\"IndexNames\" must name at least one index");
            }
            if (priority == null) {
                throw ApiException.badRequest("\"Priority\" is required: Low, Normal or High");
            }
            indexes(lease).setPriority(names, IndexPriority.fromWireName(priority));
            exchange.setStatusCode(204);
            exchange.endExchange();
        }
    }

    /** Reads {"IndexNames":[...],"Priority":"..."}: the names into {@code names}; returns the priority (or null). */
    private static String priorityRequest(JsonParser p, List<String> names) throws java.io.IOException {
        String priority = null;
        if (p.nextToken() != JsonToken.START_OBJECT) {
            throw JsonEnvelope.badRequest(p, "expected {\"IndexNames\":[...],\"Priority\":\"Low|Normal|High\"}");
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            JsonToken value = p.nextToken();
            switch (key) {
                case "IndexNames" -> {
                    if (value != JsonToken.START_ARRAY) {
                        throw JsonEnvelope.badRequest(p, "\"IndexNames\" must be an array of index names");
                    }
                    while (p.nextToken() == JsonToken.VALUE_STRING) {
                        names.add(p.getText());
                    }
                    if (p.currentToken() != JsonToken.END_ARRAY) {
                        throw JsonEnvelope.badRequest(p, "\"IndexNames\" must hold only strings");
                    }
                }
                case "Priority" -> {
                    if (value != JsonToken.VALUE_STRING) {
                        throw JsonEnvelope.badRequest(p, "\"Priority\" must be one of Low, Normal, High");
                    }
                    priority = p.getText();
                }
                default -> throw JsonEnvelope.badRequest(p, "unknown property \"" + key
                        + "\"; expected IndexNames and Priority");
            }
        }
        JsonEnvelope.requireEnd(p);
        return priority;
    }
}

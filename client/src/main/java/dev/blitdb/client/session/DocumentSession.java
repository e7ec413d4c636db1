package dev.blitdb.client.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.blitdb.client.exceptions.BlitDbException;
import dev.blitdb.client.exceptions.TooManyRequestsInSessionException;
import dev.blitdb.client.http.HttpCall;
import dev.blitdb.client.http.HttpResult;
import dev.blitdb.client.http.Urls;
import dev.blitdb.client.query.DocumentQuery;
import dev.blitdb.client.query.RawDocumentQuery;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A unit of work: load, query, change, store and delete entities, then send every change at once with
 * {@link #saveChanges()} — one {@code bulk_docs} request, applied all or nothing.
 *
 * <ul>
 *   <li><b>Identity map:</b> within a session an id always gives the same Java instance, whether it came from
 *       {@code load}, a query or {@code store}.</li>
 *   <li><b>Change tracking:</b> a loaded entity is compared with its serialization at load time; only entities
 *       whose JSON changed are sent, and nothing at all when nothing changed (no request).</li>
 *   <li><b>Optimistic concurrency</b> (per session, or store-wide by convention): each write carries the change
 *       vector the session saw, and a concurrent change makes {@code saveChanges} throw
 *       {@code ConcurrencyException} without applying anything.</li>
 *   <li><b>Request budget:</b> a session sends at most {@code maxRequests} requests (30 by default); the next one
 *       throws {@link TooManyRequestsInSessionException}. Hi-lo id reservations are not counted: they belong to
 *       the store.</li>
 * </ul>
 * Not thread-safe: a session belongs to one thread (one web request, one job step). Open them freely — they are
 * cheap — from {@code DocumentStore.openSession()}.
 */
public final class DocumentSession implements AutoCloseable {

    final SessionContext context;
    final EntityMapper mapper;
    private final int maxRequests;
    boolean useOptimisticConcurrency;
    private int requests;

    // Tracked entities by lowercased id (ids are case-insensitive) and by instance; insertion order is save order.
    final Map<String, DocumentInfo> byId = new LinkedHashMap<>();
    final Map<Object, DocumentInfo> byEntity = new IdentityHashMap<>();
    // Pending deletes: lowercased id → [id as given, expected change vector or null].
    private final Map<String, String[]> deletes = new LinkedHashMap<>();
    // Ids the server said are missing, so loading them again costs no request.
    final Set<String> knownMissing = new HashSet<>();
    private final SessionAdvanced advanced;

    /** A session over {@code context}; applications get sessions from {@code DocumentStore.openSession}. */
    public DocumentSession(SessionContext context, SessionOptions options) {
        this.context = context;
        this.mapper = context.mapper();
        this.maxRequests = options.maxRequests() > 0 ? options.maxRequests()
                : mapper.conventions().maxRequestsPerSession();
        this.useOptimisticConcurrency = options.useOptimisticConcurrency() != null
                ? options.useOptimisticConcurrency() : mapper.conventions().useOptimisticConcurrency();
        this.advanced = new SessionAdvanced(this);
    }

    static String key(String id) {
        return id.toLowerCase(Locale.ROOT);
    }

    /** The document {@code id} as a {@code type}, or null when it does not exist. At most one request. */
    public <T> T load(Class<T> type, String id) {
        Objects.requireNonNull(id, "id");
        return load(type, List.of(id)).get(id);
    }

    /** Several documents in one request (ids not yet in the session); missing ones map to null. */
    public <T> Map<String, T> load(Class<T> type, String... ids) {
        return load(type, Arrays.asList(ids));
    }

    /**
     * Several documents, keyed by the ids as given (in order), missing ones mapped to null. Ids already in the
     * session cost nothing; the rest go in one request (several if there are more than 256).
     */
    public <T> Map<String, T> load(Class<T> type, Collection<String> ids) {
        List<String> toFetch = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String id : ids) {
            String k = key(Objects.requireNonNull(id, "ids must not contain null"));
            if (!byId.containsKey(k) && !knownMissing.contains(k) && !deletes.containsKey(k) && seen.add(k)) {
                toFetch.add(id);
            }
        }
        for (int from = 0; from < toFetch.size(); from += 256) {
            fetch(toFetch.subList(from, Math.min(toFetch.size(), from + 256)), type);
        }
        Map<String, T> result = new LinkedHashMap<>();
        for (String id : ids) {
            DocumentInfo info = byId.get(key(id));
            result.put(id, info == null ? null : cast(type, info.entity, id));
        }
        return result;
    }

    private <T> void fetch(List<String> ids, Class<T> type) {
        StringBuilder path = new StringBuilder(Urls.database(context.database(), "/docs?"));
        for (int i = 0; i < ids.size(); i++) {
            path.append(i == 0 ? "id=" : "&id=").append(Urls.encode(ids.get(i)));
        }
        HttpResult result = send(HttpCall.get(path.toString()));
        if (result.notFound()) {
            knownMissing.add(key(ids.get(0)));
            return;
        }
        JsonNode body = parse(result.body());
        if (ids.size() == 1) {
            track((ObjectNode) body, type);
            return;
        }
        ArrayNode results = (ArrayNode) body.get("Results");
        for (int i = 0; i < ids.size(); i++) {
            JsonNode doc = results.get(i);
            if (doc == null || doc.isNull()) {
                knownMissing.add(key(ids.get(i)));
            } else {
                track((ObjectNode) doc, type);
            }
        }
    }

    /** The tracked entity for a document from the server: the existing instance if its id is already tracked. */
    <T> T track(ObjectNode document, Class<T> type) {
        JsonNode metadata = document.get("@metadata");
        String id = metadata == null ? null : metadata.path("@id").asText(null);
        if (id == null) {
            throw new BlitDbException("a document from the server has no @metadata.@id: " + document);
        }
        DocumentInfo existing = byId.get(key(id));
        if (existing != null) {
            return cast(type, existing.entity, id);
        }
        T entity = mapper.fromJson(document, type);
        DocumentInfo info = new DocumentInfo(id, entity, metadata.path("@collection").asText(null));
        info.snapshot = mapper.toJson(entity);
        info.metadata = (ObjectNode) metadata.deepCopy();
        info.changeVector = metadata.path("@change-vector").asText(null);
        byId.put(key(id), info);
        byEntity.put(entity, info);
        knownMissing.remove(key(id));
        return entity;
    }

    private static <T> T cast(Class<T> type, Object entity, String id) {
        if (!type.isInstance(entity)) {
            throw new BlitDbException("document '" + id + "' is already loaded in this session as "
                    + entity.getClass().getName() + ", not " + type.getName());
        }
        return type.cast(entity);
    }

    /**
     * Starts tracking a new entity. Its id is its identity property if set, else a new hi-lo id of its
     * collection ({@code users/17}), written back into the identity property. Storing a tracked entity again
     * does nothing. Nothing is sent until {@link #saveChanges()}.
     */
    public void store(Object entity) {
        if (byEntity.containsKey(Objects.requireNonNull(entity, "entity"))) {
            return;
        }
        String id = mapper.idOf(entity);
        store(entity, null, id);
    }

    /** Starts tracking a new entity under {@code id}. */
    public void store(Object entity, String id) {
        store(entity, null, id);
    }

    /**
     * Starts tracking a new entity under {@code id} (null: generate one), saved only if the stored document has
     * {@code changeVector} ({@code ""}: only if there is none yet) — whatever the session's concurrency setting.
     */
    public void store(Object entity, String changeVector, String id) {
        Objects.requireNonNull(entity, "entity");
        DocumentInfo tracked = byEntity.get(entity);
        if (tracked != null) {
            if (id != null && !key(id).equals(key(tracked.id))) {
                throw new IllegalArgumentException("this entity is already tracked as '" + tracked.id
                        + "'; it cannot be stored again as '" + id + "'");
            }
            tracked.forcedChangeVector = changeVector;
            return;
        }
        String collection = mapper.collectionName(entity.getClass());
        if (id == null) {
            id = context.ids().nextId(collection, mapper.conventions().idPrefix(collection));
        }
        DocumentInfo other = byId.get(key(id));
        if (other != null) {
            throw new IllegalStateException("the session already tracks another object as '" + other.id
                    + "'; load it and change that instance instead of storing a second one");
        }
        mapper.setId(entity, id);
        DocumentInfo info = new DocumentInfo(id, entity, collection);
        info.forcedChangeVector = changeVector;
        byId.put(key(id), info);
        byEntity.put(entity, info);
        deletes.remove(key(id)); // store after delete in one session: the document is replaced
        knownMissing.remove(key(id));
    }

    /** Marks a tracked entity for deletion at {@link #saveChanges()}. */
    public void delete(Object entity) {
        DocumentInfo info = byEntity.get(Objects.requireNonNull(entity, "entity"));
        if (info == null) {
            throw new IllegalArgumentException("this " + entity.getClass().getSimpleName() + " is not tracked by the "
                    + "session; load it first, or delete by id");
        }
        untrack(info);
        if (!info.isNew()) {
            deletes.put(key(info.id), new String[] {info.id, useOptimisticConcurrency ? info.changeVector : null});
        }
    }

    /** Marks document {@code id} for deletion (no request now; a missing document is not an error). */
    public void delete(String id) {
        delete(id, null);
    }

    /** Marks {@code id} for deletion only if the stored document has {@code expectedChangeVector}. */
    public void delete(String id, String expectedChangeVector) {
        DocumentInfo info = byId.get(key(Objects.requireNonNull(id, "id")));
        String changeVector = expectedChangeVector;
        if (info != null) {
            untrack(info);
            if (changeVector == null && useOptimisticConcurrency) {
                changeVector = info.changeVector;
            }
            if (info.isNew()) {
                return;
            }
        }
        deletes.put(key(id), new String[] {id, changeVector});
    }

    void untrack(DocumentInfo info) {
        byId.remove(key(info.id));
        byEntity.remove(info.entity);
    }

    /**
     * Sends every new, changed and deleted document in one {@code bulk_docs} request, applied in one
     * transaction. No request at all when nothing changed. On failure (a concurrency conflict, say) nothing was
     * applied and the session is as before the call.
     */
    public void saveChanges() {
        SaveChanges save = new SaveChanges(this, deletes);
        if (save.isEmpty()) {
            return;
        }
        HttpResult result = send(HttpCall.of("POST", Urls.database(context.database(), "/bulk_docs"),
                save.body(), false));
        save.applyResults(parse(result.body()));
        for (String id : save.deletedKeys()) {
            deletes.remove(id);
            knownMissing.add(id);
        }
    }

    /** Whether {@link #saveChanges()} would send anything. */
    public boolean hasChanges() {
        return !new SaveChanges(this, deletes).isEmpty();
    }

    /** A typed query over the collection of {@code type} (an automatic index answers it). */
    public <T> DocumentQuery<T> query(Class<T> type) {
        return new DocumentQuery<>(new SessionQueryRunner(this), type, null);
    }

    /** A typed query over the static index {@code indexName}, e.g. {@code Users/ByCity}. */
    public <T> DocumentQuery<T> query(Class<T> type, String indexName) {
        return new DocumentQuery<>(new SessionQueryRunner(this), type, Objects.requireNonNull(indexName));
    }

    /** A query written in RQL; give values as {@code $name} and bind them with {@code addParameter}. */
    public <T> RawDocumentQuery<T> rawQuery(Class<T> type, String rql) {
        return new RawDocumentQuery<>(new SessionQueryRunner(this), type, rql);
    }

    /** Metadata, change vectors, existence checks, paging by id prefix, refresh and evict. */
    public SessionAdvanced advanced() {
        return advanced;
    }

    /** How many requests this session has sent. */
    public int numberOfRequests() {
        return requests;
    }

    /** Sends {@code call}, counted against the session's budget. */
    HttpResult send(HttpCall call) {
        if (requests >= maxRequests) {
            throw new TooManyRequestsInSessionException(maxRequests);
        }
        requests++;
        return context.executor().execute(call);
    }

    JsonNode parse(byte[] body) {
        try {
            return mapper.mapper().readTree(body);
        } catch (IOException e) {
            throw new BlitDbException("the server sent a body that is not JSON: " + e.getMessage(), e);
        }
    }

    Map<String, String[]> pendingDeletes() {
        return deletes;
    }

    /** Forgets everything the session tracks; unsaved changes are dropped. */
    @Override
    public void close() {
        byId.clear();
        byEntity.clear();
        deletes.clear();
        knownMissing.clear();
    }

    // For SessionAdvanced: a copy of the tracked-by-id map keyed by original ids.
    Map<String, Object> trackedEntities() {
        Map<String, Object> out = new HashMap<>();
        byId.values().forEach(i -> out.put(i.id, i.entity));
        return out;
    }
}

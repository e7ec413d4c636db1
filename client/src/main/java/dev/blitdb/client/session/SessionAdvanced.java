package dev.blitdb.client.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.blitdb.client.exceptions.BlitDbException;
import dev.blitdb.client.http.HttpCall;
import dev.blitdb.client.http.HttpResult;
import dev.blitdb.client.http.Urls;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The less common operations of a {@link DocumentSession}: metadata and change vectors of tracked entities,
 * existence checks, paging by id prefix, refreshing an entity from the server and evicting it from the session.
 */
public final class SessionAdvanced {

    private final DocumentSession session;

    SessionAdvanced(DocumentSession session) {
        this.session = session;
    }

    private DocumentInfo info(Object entity) {
        DocumentInfo info = session.byEntity.get(entity);
        if (info == null) {
            throw new IllegalArgumentException("this " + entity.getClass().getSimpleName()
                    + " is not tracked by the session");
        }
        return info;
    }

    /**
     * The {@code @metadata} of a tracked entity as last seen from the server ({@code @id}, {@code @collection},
     * {@code @change-vector}, {@code @last-modified}); empty for an entity not saved yet. Read-only.
     */
    public Map<String, Object> getMetadataFor(Object entity) {
        DocumentInfo info = info(entity);
        if (info.metadata == null) {
            return Map.of();
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> map = session.mapper.mapper().convertValue(info.metadata, Map.class);
        return Collections.unmodifiableMap(map);
    }

    /** The change vector of a tracked entity as last seen from the server, or null if it was never saved. */
    public String getChangeVectorFor(Object entity) {
        return info(entity).changeVector;
    }

    /** The id of a tracked entity. */
    public String getDocumentId(Object entity) {
        return info(entity).id;
    }

    /** Whether the session tracks document {@code id} (loaded or stored). */
    public boolean isLoaded(String id) {
        return session.byId.containsKey(DocumentSession.key(id));
    }

    /** Turns optimistic concurrency on or off for the rest of this session. */
    public void useOptimisticConcurrency(boolean use) {
        session.useOptimisticConcurrency = use;
    }

    /** Whether this session sends change vectors with its writes. */
    public boolean isUsingOptimisticConcurrency() {
        return session.useOptimisticConcurrency;
    }

    /**
     * Whether document {@code id} exists on the server: a {@code HEAD} request, which transfers no document (when
     * the answer is "no", a GET follows to tell a missing document from a missing database; it is not counted
     * against the session's budget). A document the session tracks answers without a request.
     */
    public boolean exists(String id) {
        DocumentInfo info = session.byId.get(DocumentSession.key(id));
        if (info != null && !info.isNew()) {
            return true;
        }
        HttpCall head = new HttpCall("HEAD", Urls.database(session.context.database(), "/docs?id=" + Urls.encode(id)),
                null, Map.of(), true, true);
        if (!session.send(head).notFound()) {
            return true;
        }
        // A bodiless 404 may mean a missing database: a GET tells (it transfers no document, since there is none).
        return !session.context.executor().execute(HttpCall.get(head.path())).notFound();
    }

    /**
     * Documents whose id starts with {@code prefix}, in id order, skipping {@code start} and returning at most
     * {@code pageSize} (the server caps a page at 1024). They join the session like loaded ones.
     */
    public <T> List<T> loadStartingWith(Class<T> type, String prefix, int start, int pageSize) {
        HttpResult result = session.send(HttpCall.get(Urls.database(session.context.database(), "/docs?startsWith="
                + Urls.encode(prefix) + "&start=" + start + "&pageSize=" + pageSize)));
        List<T> out = new ArrayList<>();
        for (JsonNode doc : session.parse(result.body()).path("Results")) {
            out.add(session.track((ObjectNode) doc, type));
        }
        return out;
    }

    /** {@link #loadStartingWith(Class, String, int, int)} from the first match, up to 128 documents. */
    public <T> List<T> loadStartingWith(Class<T> type, String prefix) {
        return loadStartingWith(type, prefix, 0, 128);
    }

    /**
     * Reloads a tracked entity from the server into the same instance, discarding its unsaved changes. Throws
     * when the document no longer exists.
     */
    public void refresh(Object entity) {
        DocumentInfo info = info(entity);
        if (info.isNew()) {
            throw new IllegalArgumentException("'" + info.id + "' was never saved; there is nothing to refresh from");
        }
        HttpResult result = session.send(HttpCall.get(Urls.database(session.context.database(), "/docs?id="
                + Urls.encode(info.id))));
        if (result.notFound()) {
            throw new BlitDbException("cannot refresh '" + info.id + "': the document no longer exists");
        }
        ObjectNode document = (ObjectNode) session.parse(result.body());
        ObjectNode metadata = (ObjectNode) document.get("@metadata");
        ObjectNode body = document.deepCopy();
        body.remove("@metadata");
        try {
            session.mapper.mapper().readerForUpdating(entity).readValue(body);
        } catch (IOException e) {
            throw new BlitDbException("cannot refresh '" + info.id + "': " + e.getMessage(), e);
        }
        info.snapshot = session.mapper.toJson(entity);
        info.metadata = metadata;
        info.changeVector = metadata == null ? null : metadata.path("@change-vector").asText(null);
        info.forcedChangeVector = null;
    }

    /** Stops tracking {@code entity}: its changes will not be saved, and the next load gets a fresh instance. */
    public void evict(Object entity) {
        session.untrack(info(entity));
    }

    /** Stops tracking everything and forgets pending deletes. */
    public void clear() {
        session.close();
    }

    /** How many requests the session has sent. */
    public int numberOfRequests() {
        return session.numberOfRequests();
    }
}

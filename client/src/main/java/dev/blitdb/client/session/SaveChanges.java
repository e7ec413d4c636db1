package dev.blitdb.client.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.blitdb.client.exceptions.BlitDbException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One {@code saveChanges}: works out which documents to send (deletes first, then new and changed entities in
 * the order they were first tracked), writes the {@code bulk_docs} body, and — only after the server committed —
 * updates the session (change vectors, metadata, snapshots). Built from the session's state without changing it,
 * so a failed save leaves the session untouched.
 */
final class SaveChanges {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final DocumentSession session;
    private final ArrayNode commands = NODES.arrayNode();
    private final List<DocumentInfo> puts = new ArrayList<>();
    private final List<ObjectNode> putBodies = new ArrayList<>();
    private final List<String> deletedKeys = new ArrayList<>();

    SaveChanges(DocumentSession session, Map<String, String[]> deletes) {
        this.session = session;
        deletes.forEach((key, idAndVector) -> {
            ObjectNode c = commands.addObject();
            c.put("Type", "DELETE").put("Id", idAndVector[0]);
            if (idAndVector[1] != null) {
                c.put("ChangeVector", idAndVector[1]);
            }
            deletedKeys.add(key);
        });
        for (DocumentInfo info : session.byId.values()) {
            ObjectNode json = session.mapper.toJson(info.entity);
            if (!info.isNew() && json.equals(info.snapshot) && info.forcedChangeVector == null) {
                continue;
            }
            ObjectNode document = json.deepCopy();
            ObjectNode metadata = document.putObject("@metadata");
            if (info.collection != null) {
                metadata.put("@collection", info.collection);
            }
            ObjectNode c = commands.addObject();
            c.put("Type", "PUT").put("Id", info.id);
            String changeVector = expectedChangeVector(info);
            if (changeVector != null) {
                c.put("ChangeVector", changeVector);
            }
            c.set("Document", document);
            puts.add(info);
            putBodies.add(json);
        }
    }

    private String expectedChangeVector(DocumentInfo info) {
        if (info.forcedChangeVector != null) {
            return info.forcedChangeVector;
        }
        if (!session.useOptimisticConcurrency) {
            return null;
        }
        return info.isNew() ? "" : info.changeVector; // "": a new document must not exist yet
    }

    boolean isEmpty() {
        return commands.isEmpty();
    }

    byte[] body() {
        ObjectNode root = NODES.objectNode();
        root.set("Commands", commands);
        try {
            return session.mapper.mapper().writeValueAsBytes(root);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new BlitDbException("cannot write the bulk_docs request: " + e.getMessage(), e);
        }
    }

    List<String> deletedKeys() {
        return deletedKeys;
    }

    /** Records what the server committed: {@code {"Results":[{"Type":"PUT","Id","ChangeVector","Collection"}...]}}. */
    void applyResults(JsonNode answer) {
        JsonNode results = answer.path("Results");
        int put = 0;
        for (JsonNode r : results) {
            if (!"PUT".equals(r.path("Type").asText())) {
                continue;
            }
            DocumentInfo info = puts.get(put);
            ObjectNode body = putBodies.get(put);
            put++;
            info.changeVector = r.path("ChangeVector").asText(null);
            info.snapshot = body;
            info.forcedChangeVector = null;
            ObjectNode metadata = NODES.objectNode();
            metadata.put("@id", info.id);
            metadata.put("@collection", r.path("Collection").asText(info.collection));
            metadata.put("@change-vector", info.changeVector);
            info.metadata = metadata;
        }
        if (put != puts.size()) {
            throw new BlitDbException("the server answered " + put + " PUT results for " + puts.size() + " documents");
        }
    }
}

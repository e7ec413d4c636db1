package dev.blitdb.client.session;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What a session knows about one tracked entity. {@code snapshot} is the JSON the entity serialized to when it
 * was loaded or last saved; an entity whose JSON now differs is "changed" and is sent by {@code saveChanges}.
 * Comparing with the entity's own earlier serialization (not with the server's bytes) means a document the class
 * maps lossily (extra fields, {@code 1.0} read as an int) is not rewritten unless the program changed it.
 */
final class DocumentInfo {
    final String id;
    final Object entity;
    final String collection;
    ObjectNode snapshot;      // null while new (never saved)
    ObjectNode metadata;      // @metadata as last seen from the server; null while new
    String changeVector;      // null while new
    String forcedChangeVector; // store(entity, changeVector, id): sent even without optimistic concurrency

    DocumentInfo(String id, Object entity, String collection) {
        this.id = id;
        this.entity = entity;
        this.collection = collection;
    }

    boolean isNew() {
        return snapshot == null;
    }
}

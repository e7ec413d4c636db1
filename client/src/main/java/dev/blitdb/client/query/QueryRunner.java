package dev.blitdb.client.query;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.blitdb.client.session.EntityMapper;

/**
 * What a query needs from the session that created it: sending (counted against the session's budget) and
 * turning documents into entities through the session's identity map. Implemented by the session.
 */
public interface QueryRunner {

    /** Sends {@code command} and returns the server's answer. */
    QueryResult run(QueryCommand command);

    /** The session's entity for {@code document}: the tracked instance if its id is already loaded. */
    <T> T track(ObjectNode document, Class<T> type);

    /** {@code document} mapped to {@code type} without tracking it (projections). */
    <T> T project(ObjectNode document, Class<T> type);

    /** The entity mapper (Java → JSON property names). */
    EntityMapper mapper();

    /** The collection of entities of {@code type} under the store's conventions. */
    String collectionName(Class<?> type);
}

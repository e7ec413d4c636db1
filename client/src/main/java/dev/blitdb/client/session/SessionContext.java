package dev.blitdb.client.session;

import dev.blitdb.client.http.RequestExecutor;

/**
 * What a store lends each of its sessions: the HTTP executor, the database name, the entity mapper and the id
 * generator. All are thread-safe and shared; the session itself is not.
 */
public record SessionContext(RequestExecutor executor, String database, EntityMapper mapper,
                             HiLoIdGenerator ids) {
}

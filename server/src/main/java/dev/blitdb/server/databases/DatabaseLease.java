package dev.blitdb.server.databases;

import dev.blitdb.storage.documents.DocumentStore;

/**
 * One request's hold on an online database: while any lease is open the database is not closed or dropped.
 * Close it when the response is complete (documents streamed from the store stay valid until then).
 */
public record DatabaseLease(Database database) implements AutoCloseable {

    public DocumentStore store() {
        return database.store();
    }

    @Override
    public void close() {
        database.release();
    }
}

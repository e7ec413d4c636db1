package dev.blitdb.server.databases;

import dev.blitdb.storage.documents.DocumentStore;
import dev.blitdb.storage.documents.DocumentWrites;

/**
 * One request's hold on an online database: while any lease is open the database is not closed or dropped.
 * Close it when the response is complete (documents streamed from the store stay valid until then).
 */
public record DatabaseLease(Database database) implements AutoCloseable {

    public DocumentStore store() {
        return database.store();
    }

    /** Where writes go: the store itself, or the database group's Raft log on a cluster node. */
    public DocumentWrites writes() {
        return database.writes();
    }

    @Override
    public void close() {
        database.release();
    }
}

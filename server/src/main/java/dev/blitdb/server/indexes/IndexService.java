package dev.blitdb.server.indexes;

import dev.blitdb.indexing.execution.QueryExecutor;
import dev.blitdb.indexing.manager.IndexManager;
import dev.blitdb.indexing.worker.IndexingOptions;
import dev.blitdb.indexing.worker.ThreadSpawner;
import dev.blitdb.server.databases.Database;
import dev.blitdb.server.databases.DatabaseService;

/**
 * The indexes of one database, hung on it as a {@link DatabaseService}: started after its store opens (loading
 * the definitions and starting one worker thread per index), closed before the store closes.
 */
public final class IndexService implements DatabaseService {

    private final IndexManager indexes;
    private final QueryExecutor queries;

    private IndexService(IndexManager indexes) {
        this.indexes = indexes;
        this.queries = new QueryExecutor(indexes);
    }

    /**
     * The factory to register with the database registry. {@code spawner} starts every index worker thread; it
     * must be created at start-up, on a thread at the process's base priority.
     */
    public static DatabaseService.Factory factory(ThreadSpawner spawner, IndexingOptions options) {
        return database -> new IndexService(IndexManager.open(database.name().toString(), database.store(),
                database.folder().resolve("indexes"), spawner, options));
    }

    /** The index service of {@code database}; every online database has one. */
    public static IndexService of(Database database) {
        IndexService service = database.serviceOrNull(IndexService.class); // per query: no Optional, no lambda
        if (service == null) {
            throw new IllegalStateException("database '" + database.name() + "' has no index service");
        }
        return service;
    }

    public IndexManager indexes() {
        return indexes;
    }

    public QueryExecutor queries() {
        return queries;
    }

    @Override
    public void close() {
        indexes.close();
    }
}

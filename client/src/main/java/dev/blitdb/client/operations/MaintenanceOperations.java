package dev.blitdb.client.operations;

import dev.blitdb.client.http.HttpCall;
import dev.blitdb.client.http.RequestExecutor;
import dev.blitdb.client.http.Urls;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Administration of the store's database: indexes (define, list, stats, errors, staleness, priority, stop,
 * start, reset, delete), database statistics, backup, restore and compaction (followed through
 * {@link #operations()}); {@link #server()} reaches server-wide operations (databases).
 * Every method is one request and throws the typed exceptions of {@code dev.blitdb.client.exceptions}
 * ({@code IndexDoesNotExistException} for an unknown index name). Thread-safe.
 */
public final class MaintenanceOperations {

    private final RequestExecutor executor;
    private final String database;
    private final ServerOperations server;

    /** Operations on {@code database}; applications get this from {@code DocumentStore.maintenance()}. */
    public MaintenanceOperations(RequestExecutor executor, String database) {
        this.executor = executor;
        this.database = database;
        this.server = new ServerOperations(executor);
    }

    private String path(String rest) {
        return Urls.database(database, rest);
    }

    /** The server's long-running operations: get, list, cancel, wait for completion with progress. */
    public ServerOperationsTracker operations() {
        return new ServerOperationsTracker(executor);
    }

    /**
     * Starts a full backup of the database into {@code folder} (an absolute path on the server, outside its data
     * folder); returns the operation id to follow with {@link #operations()}.
     */
    public long backup(String folder) {
        byte[] body = ProtocolJson.write(Map.of("Folder", folder, "Type", "Full"));
        return operationId(executor.execute(HttpCall.of("POST", path("/admin/backup"), body, false)).body());
    }

    /**
     * Starts a restore of the backup in {@code from} (a backup folder or file on the server) as the new database
     * {@code databaseName}, up to backup file {@code upTo} (null = the newest); returns the operation id.
     */
    public long restore(String from, String databaseName, String upTo) {
        var fields = new java.util.LinkedHashMap<String, Object>();
        fields.put("From", from);
        fields.put("DatabaseName", databaseName);
        if (upTo != null) {
            fields.put("UpTo", upTo);
        }
        return operationId(executor.execute(HttpCall.of("POST", "/admin/databases/restore",
                ProtocolJson.write(fields), false)).body());
    }

    /**
     * Starts an incremental backup into {@code folder}: the changes since the newest complete backup there (a full
     * one must come first); returns the operation id.
     */
    public long backupIncremental(String folder) {
        byte[] body = ProtocolJson.write(Map.of("Folder", folder, "Type", "Incremental"));
        return operationId(executor.execute(HttpCall.of("POST", path("/admin/backup"), body, false)).body());
    }

    /**
     * Streams a dump of the database ({@code GET /databases/{db}/export}: gzip'd NDJSON, server/EXPORT.md) from
     * one read snapshot, as the caller reads it; close the stream when done (closing early stops the export).
     */
    public java.io.InputStream exportDump() {
        return executor.download(path("/export"));
    }

    /**
     * Loads a dump into the database ({@code POST /databases/{db}/import}), streaming {@code dump} as the server
     * takes it (with backpressure); the caller closes {@code dump}. A bad line throws
     * {@link dev.blitdb.client.exceptions.BadRequestException} naming the line; what came before it stays applied
     * (server/EXPORT.md).
     */
    public ImportResult importDump(java.io.InputStream dump) {
        var result = executor.upload("POST", path("/import"), dump, "application/gzip");
        return ProtocolJson.read(ProtocolJson.tree(result.body()), ImportResult.class);
    }

    /** Starts an online compaction of the database; returns the operation id. */
    public long compact() {
        return operationId(executor.execute(HttpCall.of("POST", path("/admin/compact"), null, false)).body());
    }

    private static long operationId(byte[] body) {
        return ProtocolJson.tree(body).get("OperationId").asLong();
    }

    /** Server-wide operations: create, drop and list databases. */
    public ServerOperations server() {
        return server;
    }

    /**
     * Creates or updates indexes. A definition with changed fields is rebuilt; one with only a new priority is
     * re-prioritised live; an identical one is left alone.
     */
    public List<PutIndexResult> putIndexes(IndexDefinition... definitions) {
        byte[] body = ProtocolJson.write(Map.of("Indexes", List.of(definitions)));
        var result = executor.execute(HttpCall.of("PUT", path("/admin/indexes"), body, true));
        return ProtocolJson.list(result.body(), "Results", PutIndexResult.class);
    }

    /** Every index definition of the database (automatic ones included). */
    public List<IndexDefinition> getIndexes() {
        return ProtocolJson.list(executor.execute(HttpCall.get(path("/indexes"))).body(), "Results",
                IndexDefinition.class);
    }

    /** The definition of index {@code name}. */
    public IndexDefinition getIndex(String name) {
        return ProtocolJson.list(executor.execute(HttpCall.of("GET", path("/indexes?name=" + Urls.encode(name)),
                null, true)).body(), "Results", IndexDefinition.class).get(0);
    }

    /** Statistics of every index. */
    public List<IndexStats> getIndexStats() {
        return ProtocolJson.list(executor.execute(HttpCall.get(path("/indexes/stats"))).body(), "Results",
                IndexStats.class);
    }

    /** Statistics of index {@code name}. */
    public IndexStats getIndexStats(String name) {
        return ProtocolJson.list(executor.execute(HttpCall.of("GET", path("/indexes/stats?name="
                + Urls.encode(name)), null, true)).body(), "Results", IndexStats.class).get(0);
    }

    /** The documents each index could not index. */
    public List<IndexErrors> getIndexErrors() {
        return ProtocolJson.list(executor.execute(HttpCall.get(path("/indexes/errors"))).body(), "Results",
                IndexErrors.class);
    }

    /** Whether index {@code name} is behind, and why. */
    public IndexStaleness getIndexStaleness(String name) {
        var body = executor.execute(HttpCall.of("GET", path("/indexes/staleness?name=" + Urls.encode(name)), null,
                true)).body();
        return ProtocolJson.read(ProtocolJson.tree(body), IndexStaleness.class);
    }

    /** Sets the priority of index {@code name}, live. */
    public void setIndexPriority(String name, IndexPriority priority) {
        setIndexPriority(priority, name);
    }

    /** Sets the priority of several indexes, live. */
    public void setIndexPriority(IndexPriority priority, String... names) {
        if (names.length == 0) {
            throw new IllegalArgumentException("name at least one index");
        }
        byte[] body = ProtocolJson.write(Map.of("IndexNames", Arrays.asList(names), "Priority", priority.wireName()));
        executor.execute(HttpCall.of("POST", path("/indexes/set-priority"), body, true));
    }

    /** Pauses index {@code name}; queries still answer from what it has (stale). */
    public void stopIndex(String name) {
        executor.execute(HttpCall.of("POST", path("/admin/indexes/stop?name=" + Urls.encode(name)), null, true));
    }

    /** Resumes index {@code name}. */
    public void startIndex(String name) {
        executor.execute(HttpCall.of("POST", path("/admin/indexes/start?name=" + Urls.encode(name)), null, true));
    }

    /** Pauses every index of the database. */
    public void stopIndexing() {
        executor.execute(HttpCall.of("POST", path("/admin/indexes/stop"), null, true));
    }

    /** Resumes every index of the database. */
    public void startIndexing() {
        executor.execute(HttpCall.of("POST", path("/admin/indexes/start"), null, true));
    }

    /** Empties index {@code name} and rebuilds it from the documents. */
    public void resetIndex(String name) {
        executor.execute(HttpCall.of("RESET", path("/indexes?name=" + Urls.encode(name)), null, true));
    }

    /** Drops index {@code name}. */
    public void deleteIndex(String name) {
        // Not retried: after a lost answer the retry would report IndexDoesNotExist for a drop that succeeded.
        executor.execute(HttpCall.of("DELETE", path("/indexes?name=" + Urls.encode(name)), null, false));
    }

    /** Document counts, last etag and sizes of the database. */
    public DatabaseStatistics getDatabaseStatistics() {
        return ProtocolJson.read(ProtocolJson.tree(executor.execute(HttpCall.get(path("/stats"))).body()),
                DatabaseStatistics.class);
    }
}

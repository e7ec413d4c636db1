package dev.blitdb.client.operations;

import dev.blitdb.client.http.HttpCall;
import dev.blitdb.client.http.RequestExecutor;
import dev.blitdb.client.http.Urls;

import java.util.List;

/** Server-wide administration: databases. Thread-safe. */
public final class ServerOperations {

    private final RequestExecutor executor;

    ServerOperations(RequestExecutor executor) {
        this.executor = executor;
    }

    /**
     * Creates database {@code name}. An existing one answers 409 {@code Conflict}
     * ({@code ServerErrorException}); use {@link #createDatabaseIfMissing} to ignore that.
     */
    public DatabaseInfo createDatabase(String name) {
        // Not retried: a retry after a lost answer would report a false "already exists".
        var result = executor.execute(HttpCall.of("PUT", "/admin/databases?name=" + Urls.encode(name), null, false));
        return ProtocolJson.read(ProtocolJson.tree(result.body()), DatabaseInfo.class);
    }

    /** Creates database {@code name} unless it exists; true when it was created. */
    public boolean createDatabaseIfMissing(String name) {
        try {
            createDatabase(name);
            return true;
        } catch (dev.blitdb.client.exceptions.ServerErrorException e) {
            if (e.status() == 409) {
                return false;
            }
            throw e;
        }
    }

    /** Drops database {@code name} and its files. */
    public void deleteDatabase(String name) {
        // Not retried: after a lost answer the retry would report DatabaseDoesNotExist for a drop that succeeded.
        executor.execute(HttpCall.of("DELETE", "/admin/databases?name=" + Urls.encode(name), null, false));
    }

    /** The databases on the server. */
    public List<DatabaseInfo> getDatabases() {
        return ProtocolJson.list(executor.execute(HttpCall.get("/databases")).body(), "Databases", DatabaseInfo.class);
    }
}

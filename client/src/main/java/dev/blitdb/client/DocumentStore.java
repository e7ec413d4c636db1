package dev.blitdb.client;

import dev.blitdb.client.bulk.BulkInsertOperation;
import dev.blitdb.client.http.RequestExecutor;
import dev.blitdb.client.operations.MaintenanceOperations;
import dev.blitdb.client.security.ClientSecurity;
import dev.blitdb.client.session.DocumentSession;
import dev.blitdb.client.session.EntityMapper;
import dev.blitdb.client.session.HiLoIdGenerator;
import dev.blitdb.client.session.SessionContext;
import dev.blitdb.client.session.SessionOptions;

import java.util.List;
import java.util.Objects;

/**
 * The entry point of the client: one per application and database, created at start-up, shared by all threads,
 * closed at shut-down. It holds the one {@link java.net.http.HttpClient} (and its connection pool), the
 * {@link DocumentConventions}, and the hi-lo id ranges; sessions, queries, maintenance operations and bulk
 * inserts all come from here.
 *
 * <pre>{@code
 * try (var store = new DocumentStore("http://127.0.0.1:8080", "shop")) {
 *     try (var session = store.openSession()) {
 *         session.store(new User("Ann", 34));   // id assigned: users/1
 *         session.saveChanges();                // one bulk_docs request
 *     }
 * }
 * }</pre>
 *
 * Thread-safe. Conventions can be changed until the first request, then they freeze.
 */
public final class DocumentStore implements AutoCloseable {

    private final List<String> urls;
    private final String database;
    private final DocumentConventions conventions = new DocumentConventions();
    private final ClientSecurity security;
    private volatile Runtime runtime;
    private volatile boolean closed;

    /** What exists once the store is in use: built at the first request, from the then-frozen conventions. */
    private record Runtime(RequestExecutor executor, EntityMapper mapper, HiLoIdGenerator ids) {
    }

    /** A store for {@code database} on the server at {@code url} ({@code http://host:port}). */
    public DocumentStore(String url, String database) {
        this(List.of(url), database);
    }

    /**
     * A store for {@code database} given several server URLs: requests go to the first that accepts a
     * connection. Against a cluster one URL is enough (the client learns every node from {@code /cluster/topology}
     * after the first answer), writes follow the database's leader (421 answers), and a write whose outcome is
     * unknown throws {@link dev.blitdb.client.exceptions.WriteOutcomeUnknownException} instead of being resent.
     */
    public DocumentStore(List<String> urls, String database) {
        this(urls, database, ClientSecurity.none());
    }

    /**
     * A store for {@code database} on a secure server: {@code security} holds the API key and/or client
     * certificate, and the CA to trust for the server's certificate ({@code https://} URLs).
     */
    public DocumentStore(String url, String database, ClientSecurity security) {
        this(List.of(url), database, security);
    }

    /** Several URLs (see {@link #DocumentStore(List, String)}) of a secure server. */
    public DocumentStore(List<String> urls, String database, ClientSecurity security) {
        this.security = Objects.requireNonNull(security, "security");
        if (urls.isEmpty()) {
            throw new IllegalArgumentException("give at least one server URL");
        }
        this.urls = List.copyOf(urls);
        this.database = Objects.requireNonNull(database, "database");
    }

    /** The database this store works with. */
    public String database() {
        return database;
    }

    /** The server URLs given at construction. */
    public List<String> urls() {
        return urls;
    }

    /** The conventions; change them before the first request. */
    public DocumentConventions conventions() {
        return conventions;
    }

    private Runtime runtime() {
        Runtime r = runtime;
        if (r == null) {
            synchronized (this) {
                if (closed) {
                    throw new IllegalStateException("the DocumentStore is closed");
                }
                r = runtime;
                if (r == null) {
                    conventions.freeze();
                    RequestExecutor executor = new RequestExecutor(urls, conventions.requestTimeout(), security);
                    r = new Runtime(executor, new EntityMapper(conventions), new HiLoIdGenerator(executor, database));
                    runtime = r;
                }
            }
        }
        if (closed) {
            throw new IllegalStateException("the DocumentStore is closed");
        }
        return r;
    }

    /** The HTTP layer shared by everything this store does (its {@code requestCount()} helps tests). */
    public RequestExecutor requestExecutor() {
        return runtime().executor();
    }

    /** The entity mapper of this store's conventions. */
    public EntityMapper entityMapper() {
        return runtime().mapper();
    }

    /** Index and database administration (and {@code maintenance().server()} for databases). */
    public MaintenanceOperations maintenance() {
        return new MaintenanceOperations(runtime().executor(), database);
    }

    /**
     * Starts a bulk insert: documents streamed over one request and committed by the server in large batches.
     * Close it to learn the outcome.
     */
    public BulkInsertOperation bulkInsert() {
        Runtime r = runtime();
        return new BulkInsertOperation(r.executor(), database, r.mapper(), r.ids());
    }

    /** A new session with the store's default options. Sessions are cheap; open one per unit of work. */
    public DocumentSession openSession() {
        return openSession(SessionOptions.defaults());
    }

    /** A new session with {@code options}. */
    public DocumentSession openSession(SessionOptions options) {
        Runtime r = runtime();
        return new DocumentSession(new SessionContext(r.executor(), database, r.mapper(), r.ids()), options);
    }

    /** Closes the HTTP client; sessions and operations of this store fail afterwards. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (runtime != null) {
            runtime.executor().close();
        }
    }
}

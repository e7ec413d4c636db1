package dev.blitdb.server.databases;

import dev.blitdb.storage.documents.DocumentStore;
import dev.blitdb.storage.engine.StoreOptions;
import dev.blitdb.storage.merger.MergerOptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The databases of one server, each a sub-folder of the data folder named after it:
 *
 * <pre>
 *   data/
 *     .blitdb-initialized      written after the first start created "default"
 *     default/data.blit        one folder per database: its store,
 *     default/indexes/…        and what its services keep (the Lucene index folders)
 *     shop/data.blit
 *     .dropping-shop-1234      a dropped database on its way out (finished at the next start if interrupted)
 *     .restoring-shop2-5678    a restore writing its new database (deleted at the next start if interrupted)
 * </pre>
 *
 * <p>{@link #startLoading} finds every database folder and opens them in the background (requests to a database still
 * opening get 503); {@link #awaitLoaded} waits for that. {@code default} is created on the very first start
 * only, so dropping it is permanent. Creating and dropping are serialised on the registry; requests never take
 * its lock.
 *
 * <p>Dropping: the database leaves the name table at once (new requests get 404), its open requests finish,
 * its services and store close, and its folder is renamed to {@code .dropping-…} and then deleted. The rename
 * makes a drop interrupted by a crash unambiguous: the next start deletes the leftover instead of reopening it.
 */
public final class DatabaseRegistry implements AutoCloseable {

    public static final String DEFAULT_DATABASE = "default";
    static final String INITIALIZED_MARKER = ".blitdb-initialized";
    static final String DROPPING_PREFIX = ".dropping-";
    static final String RESTORING_PREFIX = ".restoring-";

    private static final System.Logger LOG = System.getLogger(DatabaseRegistry.class.getName());

    private final Path dataDir;
    private final StoreOptions storeOptions;
    private final MergerOptions mergerOptions;
    private final List<DatabaseService.Factory> serviceFactories;
    private final java.util.function.Function<String, String> databaseIds;
    private final Map<String, Database> byKey = new ConcurrentHashMap<>();
    private final List<CompletableFuture<Void>> loading = new ArrayList<>();
    private final dev.blitdb.server.operations.Operations operations = new dev.blitdb.server.operations.Operations();
    private volatile boolean scanned;
    private volatile boolean closed;

    private DatabaseRegistry(Path dataDir, StoreOptions storeOptions, MergerOptions mergerOptions,
                             List<DatabaseService.Factory> serviceFactories,
                             java.util.function.Function<String, String> databaseIds) {
        this.databaseIds = databaseIds;
        this.dataDir = dataDir;
        this.storeOptions = storeOptions;
        this.mergerOptions = mergerOptions;
        List<DatabaseService.Factory> all = new ArrayList<>(serviceFactories);
        all.add(dev.blitdb.server.backup.BackupSchedule.factory(this)); // every database can have periodic backups
        this.serviceFactories = List.copyOf(all);
    }

    /**
     * A registry for {@code dataDir} that knows no database yet; requests get 503 until {@link #startLoading}.
     *
     * @param serviceFactories started on every database as it opens (the server passes its index service)
     */
    public static DatabaseRegistry create(Path dataDir, StoreOptions storeOptions, MergerOptions mergerOptions,
                                          List<DatabaseService.Factory> serviceFactories) throws IOException {
        return create(dataDir, storeOptions, mergerOptions, serviceFactories, name -> null);
    }

    /**
     * As {@link #create(Path, StoreOptions, MergerOptions, List)}, with the database id each store gets from its
     * name ({@code null} = a random one): a cluster node gives every replica of a database its group's id.
     */
    public static DatabaseRegistry create(Path dataDir, StoreOptions storeOptions, MergerOptions mergerOptions,
                                          List<DatabaseService.Factory> serviceFactories,
                                          java.util.function.Function<String, String> databaseIds)
            throws IOException {
        Files.createDirectories(dataDir);
        return new DatabaseRegistry(dataDir, storeOptions, mergerOptions, serviceFactories, databaseIds);
    }

    /**
     * Finds the databases under the data folder and starts opening them (each on its own thread, so one large
     * store does not hold up the others); creates {@code default} on the first start. Requests to a database
     * still opening get 503.
     */
    public synchronized void startLoading() throws IOException {
        if (scanned) {
            throw new IllegalStateException("databases are already loaded");
        }
        DatabaseRegistry registry = this;
        registry.finishInterruptedDrops();
        Path marker = dataDir.resolve(INITIALIZED_MARKER);
        if (!Files.exists(marker)) {
            Files.createDirectories(dataDir.resolve(DEFAULT_DATABASE));
            Files.writeString(marker, "BlitDB data folder; 'default' was created on the first start\n");
        }
        try (DirectoryStream<Path> folders = Files.newDirectoryStream(dataDir, Files::isDirectory)) {
            for (Path folder : folders) {
                String name = folder.getFileName().toString();
                if (name.startsWith(".")) {
                    continue;
                }
                if (!DatabaseName.isValid(name)) {
                    LOG.log(System.Logger.Level.WARNING, "ignoring folder " + folder + ": not a valid database name");
                    continue;
                }
                var db = new Database(new DatabaseName(name), folder);
                if (registry.byKey.putIfAbsent(db.name().key(), db) != null) {
                    LOG.log(System.Logger.Level.WARNING, "ignoring folder " + folder
                            + ": another folder differs from it only in casing");
                    continue;
                }
                registry.loading.add(CompletableFuture.runAsync(() -> db.open(registry::openStore,
                        registry.serviceFactories), runnable -> Thread.ofPlatform().name("open-db-" + name)
                        .start(runnable)));
            }
        } finally {
            scanned = true;
        }
    }

    private DocumentStore openStore(Path folder) throws IOException {
        return DocumentStore.open(folder, storeOptions, mergerOptions,
                databaseIds.apply(folder.getFileName().toString()));
    }

    /** Waits until every database found at start-up is online or failed. */
    public void awaitLoaded() {
        CompletableFuture.allOf(loading.toArray(CompletableFuture[]::new)).join();
    }

    /**
     * A lease on an online database, for one request.
     *
     * @throws DatabaseNotFoundException    no such database (or it is being dropped) — 404
     * @throws DatabaseUnavailableException it is opening, failed to open, or closing — 503
     * @throws InvalidDatabaseNameException the name cannot be a database — 400
     */
    public DatabaseLease acquire(String name) {
        Database db = name == null ? null : byKey.get(name.toLowerCase(java.util.Locale.ROOT));
        if (db == null && !scanned) {
            throw new DatabaseUnavailableException("the server is starting; retry shortly");
        }
        if (db == null) {
            new DatabaseName(name); // a malformed name is a 400, not a 404
            throw new DatabaseNotFoundException("database '" + name + "' does not exist; create it with "
                    + "PUT /admin/databases?name=" + name);
        }
        return db.acquire();
    }

    /** Creates a database and opens it before returning; fails if the name is taken in any casing. */
    public synchronized Database create(DatabaseName name) throws IOException {
        if (!scanned) {
            throw new DatabaseUnavailableException("the server is starting; retry shortly");
        }
        if (closed) {
            throw new DatabaseUnavailableException("the server is shutting down");
        }
        Path folder = dataDir.resolve(name.value());
        var db = new Database(name, folder);
        Database existing = byKey.putIfAbsent(name.key(), db);
        if (existing != null) {
            throw new DatabaseExistsException("database '" + existing.name() + "' already exists");
        }
        try {
            if (Files.exists(folder)) {
                throw new IOException("folder " + folder + " exists although no database has that name");
            }
            Files.createDirectories(folder);
        } catch (IOException | RuntimeException e) {
            byKey.remove(name.key(), db);
            throw e;
        }
        db.open(this::openStore, serviceFactories);
        if (db.state() == Database.State.FAILED) {
            byKey.remove(name.key(), db);
            deleteQuietly(folder);
            throw new IOException("cannot create database '" + name + "': " + db.failure());
        }
        return db;
    }

    /** Fills a new database's folder (a restore writes its data file there). */
    @FunctionalInterface
    public interface FolderFiller {
        void fill(Path folder) throws Exception;
    }

    /**
     * Checks that a database named {@code name} could be created now (valid, free in every casing, no folder in the
     * way), so a long restore can be refused before it starts.
     */
    public synchronized void checkCreatable(DatabaseName name) {
        if (!scanned) {
            throw new DatabaseUnavailableException("the server is starting; retry shortly");
        }
        Database existing = byKey.get(name.key());
        if (existing != null) {
            throw new DatabaseExistsException("database '" + existing.name() + "' already exists");
        }
        if (Files.exists(dataDir.resolve(name.value()))) {
            throw new DatabaseExistsException("folder " + dataDir.resolve(name.value()) + " exists although no "
                    + "database has that name");
        }
    }

    /**
     * Creates a database from files: reserves the name (requests to it get 503 "still opening" meanwhile), lets
     * {@code filler} write a staging folder {@code .restoring-…} without holding the registry's lock, renames it
     * into place and opens it. On any failure the name is released and the staging folder deleted; a crash
     * leaves only the staging folder, which the next start deletes.
     */
    public Database createFrom(DatabaseName name, FolderFiller filler) throws Exception {
        Database db;
        Path folder = dataDir.resolve(name.value());
        synchronized (this) {
            checkCreatable(name);
            if (closed) {
                throw new DatabaseUnavailableException("the server is shutting down");
            }
            db = new Database(name, folder);
            byKey.put(name.key(), db);
        }
        Path staging = dataDir.resolve(RESTORING_PREFIX + name.value() + "-" + System.nanoTime());
        try {
            Files.createDirectories(staging);
            filler.fill(staging);
            Files.move(staging, folder, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (Exception | Error e) {
            byKey.remove(name.key(), db);
            db.abandon("restore failed: " + e.getMessage()); // releases anyone waiting on it
            deleteQuietly(staging);
            throw e;
        }
        db.open(this::openStore, serviceFactories);
        if (db.state() == Database.State.FAILED) {
            byKey.remove(name.key(), db);
            throw new IOException("restored database '" + name + "' does not open: " + db.failure()
                    + "; its files are kept in " + folder);
        }
        return db;
    }

    /**
     * Drops a database: no new requests, waits for its open requests, closes it, deletes its folder. Holds the
     * registry's lock meanwhile, so other creates and drops wait (requests to other databases do not). Requests
     * are bounded by {@code --io-timeout} on the client's side of the exchange, so the wait ends.
     *
     * @throws DatabaseNotFoundException when there is no such database
     */
    public synchronized void drop(DatabaseName name) throws IOException {
        Database db = byKey.get(name.key());
        if (db == null) {
            throw new DatabaseNotFoundException("database '" + name + "' does not exist");
        }
        db.close(true);
        byKey.remove(name.key(), db);
        Path doomed = dataDir.resolve(DROPPING_PREFIX + db.name().value() + "-" + System.nanoTime());
        Files.move(db.folder(), doomed);
        deleteRecursively(doomed);
    }

    /**
     * Whether every database is online (readiness, as opposed to the liveness of a bound port). A database being
     * dropped does not count; one being created counts as opening until its store is open. Never blocks.
     */
    public Readiness readiness() {
        List<String> loading = new ArrayList<>();
        List<Readiness.Failed> failed = new ArrayList<>();
        boolean closing = closed;
        for (Database db : list()) {
            switch (db.state()) {
                case LOADING -> loading.add(db.name().value());
                case FAILED -> failed.add(new Readiness.Failed(db.name().value(), db.failure()));
                case CLOSING, CLOSED -> closing |= !db.isDropping();
                case ONLINE -> { }
            }
        }
        return new Readiness(!scanned, loading, failed, closing);
    }

    /** The databases, by name (case-insensitive order). */
    public List<Database> list() {
        return byKey.values().stream().sorted(Comparator.comparing(d -> d.name().key())).toList();
    }

    /**
     * The server's long-running operations (backup, restore, compaction, index rebuilds, …); they live as long as
     * the registry, and closing it cancels those still running before the databases close.
     */
    public dev.blitdb.server.operations.Operations operations() {
        return operations;
    }

    /** The data folder (one sub-folder per database). */
    public Path dataDir() {
        return dataDir;
    }

    /** Closes every database: cancels running operations, waits for requests, commits what is queued, closes stores. */
    @Override
    public void close() {
        operations.close(); // outside the lock: a restore finishing meanwhile takes it to register its database
        closeDatabases();
    }

    private synchronized void closeDatabases() {
        if (closed) {
            return;
        }
        closed = true;
        awaitLoadedQuietly();
        List<Thread> closers = new ArrayList<>();
        for (Database db : byKey.values()) {
            closers.add(Thread.ofPlatform().name("close-db-" + db.name()).start(() -> db.close(false)));
        }
        for (Thread t : closers) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void awaitLoadedQuietly() {
        try {
            awaitLoaded();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "a database failed while opening", e);
        }
    }

    private void finishInterruptedDrops() throws IOException {
        try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(dataDir, DROPPING_PREFIX + "*")) {
            for (Path p : leftovers) {
                LOG.log(System.Logger.Level.INFO, "finishing the interrupted drop of " + p);
                deleteRecursively(p);
            }
        }
        try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(dataDir, RESTORING_PREFIX + "*")) {
            for (Path p : leftovers) {
                LOG.log(System.Logger.Level.INFO, "deleting " + p + ", left by a restore that did not finish");
                deleteRecursively(p);
            }
        }
    }

    private static void deleteQuietly(Path folder) {
        try {
            deleteRecursively(folder);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "could not delete " + folder, e);
        }
    }

    static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}

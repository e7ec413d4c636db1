package dev.blitdb.server.databases;

import dev.blitdb.storage.documents.DocumentStore;
import dev.blitdb.storage.documents.DocumentWrites;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One database of the server: its folder, its {@link DocumentStore} (own file, own transaction merger) and the
 * {@link DatabaseService}s hung on it (the server hangs its index service on every database). Created and closed only by the
 * {@link DatabaseRegistry}; requests reach it through a {@link DatabaseLease}.
 *
 * <p>Lifecycle: {@code LOADING} (store opening, services starting; requests get 503) → {@code ONLINE} →
 * {@code CLOSING} (no new leases; waits for the open ones) → {@code CLOSED}. A failed open ends in
 * {@code FAILED} (requests get 503 with the reason; dropping it still works). {@code PAUSED} is the short swap
 * of a compaction ({@link #swapStoreFile}): requests get 503 "retry shortly" while the file is replaced.
 *
 * <p>Lease counting is lock-free on the request path: a request increments the counter, then checks the state;
 * the closer sets the state, then waits for the counter to reach zero. Either the request sees the new state and
 * backs out, or the closer sees its count and waits for it.
 */
public final class Database {

    /** Where a database is in its life. */
    public enum State { LOADING, ONLINE, PAUSED, FAILED, CLOSING, CLOSED }

    private static final System.Logger LOG = System.getLogger(Database.class.getName());

    private final DatabaseName name;
    private final Path folder;
    private final AtomicInteger leases = new AtomicInteger();
    /** What {@link #acquire()} hands out: a lease holds nothing but this database, so one instance serves all. */
    private final DatabaseLease lease = new DatabaseLease(this);
    private final CountDownLatch openFinished = new CountDownLatch(1);
    private final List<DatabaseService> services = new ArrayList<>();
    /** The factory that started each of {@link #services}, same order. */
    private final List<DatabaseService.Factory> startedBy = new ArrayList<>();
    private volatile String pauseReason = "compaction swaps its file";
    /** Immutable copy of {@link #services} for lock-free lookups (every query finds its service here). */
    private volatile List<DatabaseService> published = List.of();
    private volatile State state = State.LOADING;
    private volatile boolean dropping;
    private volatile DocumentStore store;
    private volatile DocumentWrites writes;
    private volatile String failure;
    private final java.util.concurrent.locks.ReentrantLock lifecycle = new java.util.concurrent.locks.ReentrantLock();
    private StoreOpener opener;
    private List<DatabaseService.Factory> factories = List.of();

    Database(DatabaseName name, Path folder) {
        this.name = name;
        this.folder = folder;
    }

    public DatabaseName name() {
        return name;
    }

    /** The database's own folder: the store's file, and room for services' files (index folders). */
    public Path folder() {
        return folder;
    }

    public State state() {
        return state;
    }

    /** Whether the database is being dropped (it has left, or is leaving, the server). */
    public boolean isDropping() {
        return dropping;
    }

    /** Why opening failed, or null. */
    public String failure() {
        return failure;
    }

    /** The document store; open from the moment services start until the database is closed. */
    public DocumentStore store() {
        DocumentStore s = store;
        if (s == null) {
            throw new DatabaseUnavailableException("database '" + name + "' is not open");
        }
        return s;
    }

    /**
     * Where writes go: the store, unless a service routed them elsewhere (a cluster node proposes them to the
     * database group's Raft log, whose state machine is then the store's only writer).
     */
    public DocumentWrites writes() {
        DocumentWrites w = writes;
        return w != null ? w : store();
    }

    /** Called by a service while it starts (before the database serves requests): send writes to {@code w}. */
    public void routeWritesThrough(DocumentWrites w) {
        writes = w;
    }

    /** The service of this type hung on this database, if one was started. */
    public <T> Optional<T> service(Class<T> type) {
        return Optional.ofNullable(serviceOrNull(type));
    }

    /** {@link #service} without the {@code Optional}, for the per-request paths: null when none was started. */
    public <T> T serviceOrNull(Class<T> type) {
        List<DatabaseService> services = published; // lock-free: no monitor per request
        for (int i = 0; i < services.size(); i++) { // indexed: no iterator per request
            DatabaseService s = services.get(i);
            if (type.isInstance(s)) {
                return type.cast(s);
            }
        }
        return null;
    }

    /** Opens the store and starts the services; leaves the database ONLINE or FAILED. Never throws. */
    void open(StoreOpener opener, List<DatabaseService.Factory> factories) {
        this.opener = opener;
        this.factories = factories;
        try {
            openResources(opener, factories);
        } finally {
            openFinished.countDown();
        }
    }

    private void openResources(StoreOpener opener, List<DatabaseService.Factory> factories) {
        try {
            store = opener.open(folder);
            for (DatabaseService.Factory factory : factories) {
                synchronized (services) {
                    if (startedBy.contains(factory)) {
                        continue; // it outlived a store swap (replaceStoreFile)
                    }
                }
                DatabaseService service = factory.start(this);
                synchronized (services) {
                    services.add(service);
                    startedBy.add(factory);
                    published = List.copyOf(services);
                }
            }
            state = State.ONLINE;
        } catch (Exception | LinkageError e) {
            failure = e.getClass().getSimpleName() + ": " + e.getMessage();
            LOG.log(System.Logger.Level.ERROR, "database '" + name + "' failed to open from " + folder, e);
            closeResources();
            state = State.FAILED;
        }
    }

    /** The last step of a compaction, run while the database is paused; returns the file to put in place. */
    @FunctionalInterface
    public interface FinalStep {
        Path run(DocumentStore store) throws Exception;
    }

    /**
     * Replaces the store's data file: pauses the database (new requests get 503 "retry shortly"), waits for open
     * requests, runs {@code step} on the quiet store (nothing writes now), closes services and store, renames the
     * returned file over {@code data.blit}, and reopens both. If {@code step} fails, the database resumes as it was;
     * if the reopen fails, the database ends FAILED with the reason (the old file is gone, the new one kept).
     *
     * @return how long the database was paused, in milliseconds
     */
    public long swapStoreFile(FinalStep step) throws Exception {
        lifecycle.lock(); // close() waits for the swap to end (and a swap never starts on a closing database)
        try {
            return swapLocked(step);
        } finally {
            lifecycle.unlock();
        }
    }

    private long swapLocked(FinalStep step) throws Exception {
        if (writes != null) {
            // The store is a Raft group's replica: replacing its file under the state machine would fork it.
            throw new DatabaseUnavailableException("database '" + name + "' is replicated (a cluster node): "
                    + "swapping its file in place (compaction) is not supported on a cluster node yet");
        }
        long pausedAt = System.nanoTime();
        synchronized (this) {
            if (state != State.ONLINE) {
                throw new DatabaseUnavailableException("database '" + name + "' is " + state
                        + "; cannot swap its file");
            }
            pauseReason = "compaction swaps its file";
            state = State.PAUSED;
            while (leases.get() > 0) {
                wait(20);
            }
        }
        Path replacement;
        try {
            replacement = step.run(store);
        } catch (Exception | Error e) {
            state = State.ONLINE;
            throw e;
        }
        closeResources();
        renameOverDataFileAndReopen(replacement, "the swap");
        return (System.nanoTime() - pausedAt) / 1_000_000;
    }

    /**
     * Replaces a replica's store with a copy of {@code source}, a complete data file (a Raft snapshot received from
     * the database group's leader; the source stays where it is). Services that {@link DatabaseService.OutlivesStore
     * outlive the store} (the replication binding) and the write route stay; the others restart on the new store
     * and catch up from it (indexes). The database pauses meanwhile (503 "retry shortly"): open requests finish,
     * the file is copied to {@code data.blit.installing} and synced, the store closes, the copy is renamed over
     * {@code data.blit} (atomic, folder synced) and the store reopens. A crash before the rename keeps the old file.
     */
    public void replaceStoreFile(Path source) throws java.io.IOException {
        lifecycle.lock();
        try {
            replaceLocked(source);
        } finally {
            lifecycle.unlock();
        }
    }

    private void replaceLocked(Path source) throws java.io.IOException {
        synchronized (this) {
            if (state != State.ONLINE) {
                throw new DatabaseUnavailableException("database '" + name + "' is " + state
                        + "; cannot install a snapshot into it");
            }
            pauseReason = "installing a snapshot from the cluster";
            state = State.PAUSED;
            while (leases.get() > 0) {
                try {
                    wait(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    state = State.ONLINE;
                    throw new java.io.InterruptedIOException("interrupted while pausing '" + name + "'");
                }
            }
        }
        Path installing = folder.resolve("data.blit.installing");
        try {
            java.nio.file.Files.deleteIfExists(installing);
            java.nio.file.Files.copy(source, installing);
            try (var ch = java.nio.channels.FileChannel.open(installing, java.nio.file.StandardOpenOption.WRITE)) {
                ch.force(true);
            }
        } catch (java.io.IOException | RuntimeException e) {
            java.nio.file.Files.deleteIfExists(installing);
            state = State.ONLINE;
            throw e;
        }
        closeStoreKeepingOutliving();
        renameOverDataFileAndReopen(installing, "installing a snapshot");
    }

    /**
     * With the store closed: renames {@code replacement} over {@code data.blit} (atomic; the folder synced so the
     * rename survives a power loss) and reopens. If the rename fails the old file is still in place and the
     * database carries on with it.
     */
    private void renameOverDataFileAndReopen(Path replacement, String after) throws java.io.IOException {
        Path data = folder.resolve("data.blit");
        try {
            java.nio.file.Files.move(replacement, data, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (java.io.IOException | RuntimeException e) {
            state = State.LOADING;
            openResources(opener, factories);
            throw e;
        }
        try (var dir = java.nio.channels.FileChannel.open(folder, java.nio.file.StandardOpenOption.READ)) {
            dir.force(true);
        } catch (java.io.IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "cannot sync folder " + folder, e);
        }
        state = State.LOADING;
        openResources(opener, factories);
        if (state != State.ONLINE) {
            throw new java.io.IOException("database '" + name + "' did not reopen after " + after + ": " + failure);
        }
    }

    /** Closes the store and every service but those that outlive it; the write route stays. */
    private void closeStoreKeepingOutliving() {
        List<DatabaseService> toClose = new ArrayList<>();
        synchronized (services) {
            for (int i = services.size() - 1; i >= 0; i--) {
                if (!(services.get(i) instanceof DatabaseService.OutlivesStore)) {
                    toClose.add(services.remove(i));
                    startedBy.remove(i);
                }
            }
            published = List.copyOf(services);
        }
        for (DatabaseService s : toClose) { // already in reverse order of starting
            try {
                s.close();
            } catch (Exception e) {
                LOG.log(System.Logger.Level.WARNING, "database '" + name + "': a service failed to close", e);
            }
        }
        DocumentStore s = store;
        store = null;
        if (s != null) {
            try {
                s.close();
            } catch (Exception e) {
                LOG.log(System.Logger.Level.ERROR, "database '" + name + "': the store failed to close", e);
            }
        }
    }

    /** Ends a database that never opened (a restore that failed before its files were in place). */
    void abandon(String reason) {
        failure = reason;
        state = State.FAILED;
        openFinished.countDown();
    }

    /** Opens the store of a folder (the registry's store options live there). */
    @FunctionalInterface
    interface StoreOpener {
        DocumentStore open(Path folder) throws Exception;
    }

    /** Takes a lease, or explains why not (404 when dropping, 503 otherwise). */
    DatabaseLease acquire() {
        leases.incrementAndGet();
        State s = state;
        if (s == State.ONLINE) {
            return lease; // leases hold nothing but the database: one instance serves every request
        }
        release();
        if (dropping) {
            throw new DatabaseNotFoundException("database '" + name + "' is being deleted");
        }
        throw new DatabaseUnavailableException(switch (s) {
            case LOADING -> "database '" + name + "' is still opening; retry shortly";
            case FAILED -> "database '" + name + "' failed to open: " + failure;
            case PAUSED -> "database '" + name + "' is pausing briefly while " + pauseReason + "; retry shortly";
            default -> "database '" + name + "' is closing";
        });
    }

    void release() {
        if (leases.decrementAndGet() == 0 && state != State.ONLINE) {
            synchronized (this) {
                notifyAll();
            }
        }
    }

    /**
     * Stops new leases, waits for the open ones, closes the services (reverse order) and the store, which
     * commits what its merger still holds. Safe to call more than once.
     */
    void close(boolean forDrop) {
        // A drop or shut-down during start-up waits for the opening to finish, so it closes what was opened.
        try {
            openFinished.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        lifecycle.lock();
        try {
            closeLocked(forDrop);
        } finally {
            lifecycle.unlock();
        }
    }

    private void closeLocked(boolean forDrop) {
        synchronized (this) {
            if (state == State.CLOSED) {
                return;
            }
            dropping |= forDrop;
            state = State.CLOSING;
            long waitingSince = System.nanoTime();
            long lastLog = waitingSince;
            while (leases.get() > 0) {
                try {
                    wait(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
                if (System.nanoTime() - lastLog > 5_000_000_000L) {
                    lastLog = System.nanoTime();
                    LOG.log(System.Logger.Level.INFO, "closing database '" + name + "': waiting for " + leases.get()
                            + " request(s) to finish");
                }
            }
        }
        closeResources();
        state = State.CLOSED;
    }

    private void closeResources() {
        List<DatabaseService> toClose;
        synchronized (services) {
            toClose = new ArrayList<>(services);
            services.clear();
            startedBy.clear();
            published = List.of();
        }
        for (int i = toClose.size() - 1; i >= 0; i--) {
            try {
                toClose.get(i).close();
            } catch (Exception e) {
                LOG.log(System.Logger.Level.WARNING, "database '" + name + "': a service failed to close", e);
            }
        }
        DocumentStore s = store;
        store = null;
        writes = null;
        if (s != null) {
            try {
                s.close();
            } catch (Exception e) {
                LOG.log(System.Logger.Level.ERROR, "database '" + name + "': the store failed to close", e);
            }
        }
    }
}

package dev.blitdb.server.databases;

import dev.blitdb.storage.documents.DocumentStore;
import dev.blitdb.storage.documents.DocumentWrites;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One database of the server: its folder, its {@link DocumentStore} (own file, own transaction merger) and the
 * {@link DatabaseService}s hung on it (the index manager, later). Created and closed only by the
 * {@link DatabaseRegistry}; requests reach it through a {@link DatabaseLease}.
 *
 * <p>Lifecycle: {@code LOADING} (store opening, services starting; requests get 503) → {@code ONLINE} →
 * {@code CLOSING} (no new leases; waits for the open ones) → {@code CLOSED}. A failed open ends in
 * {@code FAILED} (requests get 503 with the reason; dropping it still works).
 *
 * <p>Lease counting is lock-free on the request path: a request increments the counter, then checks the state;
 * the closer sets the state, then waits for the counter to reach zero. Either the request sees the new state and
 * backs out, or the closer sees its count and waits for it.
 */
public final class Database {

    /** Where a database is in its life. */
    public enum State { LOADING, ONLINE, FAILED, CLOSING, CLOSED }

    private static final Logger LOG = Logger.getLogger(Database.class.getName());

    private final DatabaseName name;
    private final Path folder;
    private final AtomicInteger leases = new AtomicInteger();
    private final CountDownLatch openFinished = new CountDownLatch(1);
    private final List<DatabaseService> services = new ArrayList<>();
    private volatile State state = State.LOADING;
    private volatile boolean dropping;
    private volatile DocumentStore store;
    private volatile DocumentWrites writes;
    private volatile String failure;

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
        synchronized (services) {
            for (DatabaseService s : services) {
                if (type.isInstance(s)) {
                    return Optional.of(type.cast(s));
                }
            }
        }
        return Optional.empty();
    }

    /** Opens the store and starts the services; leaves the database ONLINE or FAILED. Never throws. */
    void open(StoreOpener opener, List<DatabaseService.Factory> factories) {
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
                DatabaseService service = factory.start(this);
                synchronized (services) {
                    services.add(service);
                }
            }
            state = State.ONLINE;
        } catch (Exception | LinkageError e) {
            failure = e.getClass().getSimpleName() + ": " + e.getMessage();
            LOG.log(Level.SEVERE, "database '" + name + "' failed to open from " + folder, e);
            closeResources();
            state = State.FAILED;
        }
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
            return new DatabaseLease(this);
        }
        release();
        if (dropping) {
            throw new DatabaseNotFoundException("database '" + name + "' is being deleted");
        }
        throw new DatabaseUnavailableException(switch (s) {
            case LOADING -> "database '" + name + "' is still opening; retry shortly";
            case FAILED -> "database '" + name + "' failed to open: " + failure;
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
                    LOG.info("closing database '" + name + "': waiting for " + leases.get() + " request(s) to finish");
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
        }
        for (int i = toClose.size() - 1; i >= 0; i--) {
            try {
                toClose.get(i).close();
            } catch (Exception e) {
                LOG.log(Level.WARNING, "database '" + name + "': a service failed to close", e);
            }
        }
        DocumentStore s = store;
        store = null;
        writes = null;
        if (s != null) {
            try {
                s.close();
            } catch (Exception e) {
                LOG.log(Level.SEVERE, "database '" + name + "': the store failed to close", e);
            }
        }
    }
}

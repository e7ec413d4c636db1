package dev.blitdb.indexing.manager;

import dev.blitdb.indexing.worker.IndexWorker;

import java.util.ArrayList;
import java.util.List;

/**
 * A bulk load's lift of a database's {@code Normal} indexes to {@code High} ({@link IndexManager#boost()}): every
 * index that exists when it starts or is created while it is open, until {@link #endWhenCaughtUp} — after which
 * each index returns to its own priority once it has caught up to the etag given there. Why: during an import the
 * writers' threads run at nice 0 on every core and a nice-5 index worker gets a small share, so it builds most of
 * the index after the import ended, on one core while the other idles; at nice 0 the build overlaps the import.
 */
public final class IndexBoost {

    private final IndexManager manager;
    /** Guarded by the manager's lock. */
    private final List<IndexWorker> workers = new ArrayList<>();
    private boolean ended;

    IndexBoost(IndexManager manager) {
        this.manager = manager;
    }

    /** Under the manager's lock: boosts one more worker for this scope. */
    void add(IndexWorker worker) {
        worker.boost();
        workers.add(worker);
    }

    /** Under the manager's lock: hands each boosted worker its release etag; once only. */
    List<IndexWorker> end() {
        if (ended) {
            return List.of();
        }
        ended = true;
        return List.copyOf(workers);
    }

    /**
     * Ends the boost: each index it lifted returns to its own priority once everything of its collection up to
     * {@code etag} (the load's last write) is visible to searches. Calling it again does nothing.
     */
    public void endWhenCaughtUp(long etag) {
        manager.endBoost(this, etag);
    }
}

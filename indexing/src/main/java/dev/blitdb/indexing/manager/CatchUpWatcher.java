package dev.blitdb.indexing.manager;

import dev.blitdb.indexing.worker.IndexWorker;
import dev.blitdb.storage.documents.DocumentReader;
import dev.blitdb.storage.documents.DocumentStore;

import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * Waits on a virtual thread until an index that is being built next to another one has caught up with the
 * database, then asks its manager to swap them. The swap re-checks, under the manager's lock, that the new index is
 * still wanted and still not stale as of that moment; when it is not (writes arrived in between), waiting goes on.
 * Ends when the swap succeeded or {@code stillWanted} says the index was cancelled or the manager closed.
 */
final class CatchUpWatcher {

    private static final System.Logger LOG = System.getLogger(CatchUpWatcher.class.getName());
    private static final long POLL_NANOS = 250_000_000L;

    private CatchUpWatcher() {
    }

    /**
     * @param swap called when {@code successor} is not stale as of the database's newest etag; returns true when
     *             it swapped (the watcher ends), false to keep waiting
     */
    static void watch(DocumentStore store, IndexWorker successor, BooleanSupplier stillWanted,
                      Predicate<IndexWorker> swap) {
        Thread.ofVirtual().name("catch-up/" + successor.definition().name()).start(() -> {
            try {
                while (stillWanted.getAsBoolean()) {
                    long asOf;
                    try (DocumentReader reader = store.beginRead()) {
                        asOf = reader.lastEtag();
                    }
                    if (successor.awaitNonStale(asOf, POLL_NANOS) && stillWanted.getAsBoolean() && swap.test(successor)) {
                        return;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                // The store or the index closed under us (database closing, index dropped): nothing to swap.
                LOG.log(System.Logger.Level.DEBUG, "catch-up watch of " + successor.definition().name() + " ended", e);
            }
        });
    }
}

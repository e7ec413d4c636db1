package dev.blitdb.storage.engine;

import java.util.BitSet;
import java.util.concurrent.Executor;

/**
 * The open-time walk of a big store, run after {@code Store.open} returned: it walks every tree of the state the
 * store opened at (pinned, like a reader, so none of its pages is reused under the walk), then hands the pages
 * below that state's {@code hwm} that no tree reaches to the free pool. Until then the writer takes new pages from
 * the end of the file, so nothing is lost but some growth.
 *
 * <p>Why the hand-over is safe at any time: the pool holds only pages freed by commits after the opened state
 * <em>S</em>, and those were reachable from <em>S</em> (so the walk marks them used); a page the walk finds
 * unreachable from <em>S</em> and below its {@code hwm} was never in the pool, so no later commit can have taken
 * it. The walk checks every page as the open-time walk does; if it finds damage it logs it and marks the store
 * failed (it refuses further use, as the open would have), and no page is freed.
 */
final class FreeSpaceScan implements Runnable {

    private static final System.Logger LOG = System.getLogger(FreeSpaceScan.class.getName());

    private final Store store;
    private final Snapshot state;

    private FreeSpaceScan(Store store, Snapshot state) {
        this.store = store;
        this.state = state;
    }

    /** Pins {@code state} (the one the store just opened at) and runs the scan on {@code executor}. */
    static void start(Store store, Snapshot state, Executor executor) {
        if (!state.tryAcquire()) {
            throw new IllegalStateException("the opened state is already released");
        }
        executor.execute(new FreeSpaceScan(store, state));
    }

    @Override
    public void run() {
        long started = System.nanoTime();
        try {
            BitSet used = TreeWalker.walk(state.mapping.segment, state.meta, false, store::usable);
            int freed = store.releaseScanned(state.meta.hwm(), used);
            LOG.log(System.Logger.Level.INFO, "Free-space scan of " + store.file() + " at transaction "
                    + state.meta.txnId() + ": " + used.cardinality() + " pages in use, " + freed + " free, "
                    + (System.nanoTime() - started) / 1_000_000 + " ms");
        } catch (StoreClosedException e) {
            // closed while scanning: nothing to hand over
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "Free-space scan of " + store.file() + " found damage at transaction "
                    + state.meta.txnId() + ": " + e.getMessage() + "; the store refuses further use. Restore it "
                    + "from a backup", e);
            store.fail(e);
        } finally {
            state.release();
        }
    }
}

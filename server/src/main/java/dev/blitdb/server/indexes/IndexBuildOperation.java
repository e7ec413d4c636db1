package dev.blitdb.server.indexes;

import dev.blitdb.indexing.manager.IndexManager;
import dev.blitdb.indexing.worker.IndexProgress;
import dev.blitdb.indexing.worker.IndexWorker;
import dev.blitdb.server.operations.Operation;
import dev.blitdb.server.operations.OperationKind;
import dev.blitdb.server.operations.OperationState;
import dev.blitdb.server.operations.Operations;
import dev.blitdb.server.operations.Progress;

import dev.blitdb.indexing.worker.IndexStats;

import java.util.Map;
import java.util.Optional;

/**
 * Index rebuilds followed as operations ({@code /operations/{id}}, kind {@code IndexRebuild}), their progress being
 * the rebuilding index's {@code Processed}/{@code Total} documents:
 * <ul>
 * <li>a side-by-side build ({@code ReplacementOf/<name>}) completes when the replacement has taken the index's
 * place; cancelling it deletes the replacement (the current version stays);</li>
 * <li>a reset completes when the emptied index has caught up with its collection again; cancelling it pauses the
 * index where it is (what was emptied cannot come back; {@code POST .../admin/indexes/start?name=} resumes).</li>
 * </ul>
 */
public final class IndexBuildOperation {

    private static final long POLL_MILLIS = 250;

    private IndexBuildOperation() {
    }

    /** Starts following the replacement of {@code name}, or returns the operation already following it. */
    public static Operation follow(Operations operations, String database, IndexManager indexes, String name) {
        String replacement = IndexManager.replacementName(name);
        String description = "building " + replacement;
        Optional<Operation> running = operations.list().stream().filter(o -> o.state() == OperationState.Running
                && database.equals(o.database()) && description.equals(o.description())).findFirst();
        if (running.isPresent()) {
            return running.get();
        }
        return operations.start(OperationKind.IndexRebuild, database, description, progress -> {
            progress.unit("documents");
            while (true) {
                Optional<IndexWorker> building = indexes.find(replacement);
                if (building.isEmpty()) {
                    boolean swapped = indexes.find(name).isPresent();
                    return Map.of("Index", name, "TookOver", swapped);
                }
                IndexProgress p = building.get().progress();
                progress.total(p.total());
                progress.processed(p.processed());
                try {
                    if (!progress.cancelRequested()) {
                        Thread.sleep(POLL_MILLIS);
                        continue;
                    }
                } catch (InterruptedException interrupted) {
                    // cancel() interrupts the wait: fall through to cancelling the build
                }
                if (indexes.find(replacement).isPresent()) {
                    indexes.delete(replacement);
                }
                progress.checkCancelled();
                return Map.of("Index", name, "TookOver", false);
            }
        });
    }

    /**
     * Resets index {@code name} (it empties and rebuilds from the first document) and follows the rebuild; a reset
     * of an index whose reset is still being followed restarts that rebuild and returns the operation following it.
     */
    public static Operation reset(Operations operations, String database, IndexManager indexes, String name) {
        String canonical = indexes.require(name).definition().name();
        String description = "rebuilding " + canonical + " after a reset";
        indexes.reset(canonical);
        Optional<Operation> running = operations.list().stream().filter(o -> o.state() == OperationState.Running
                && database.equals(o.database()) && description.equals(o.description())).findFirst();
        if (running.isPresent()) {
            return running.get();
        }
        return operations.start(OperationKind.IndexRebuild, database, description, progress -> {
            progress.unit("documents");
            while (true) {
                IndexWorker worker = indexes.require(canonical); // deleted meanwhile: the operation faults, 404
                IndexProgress p = worker.progress();
                IndexStats s = worker.stats();
                progress.total(p.total());
                progress.processed(p.processed());
                if (!s.stale() && p.lagDocuments() == 0) {
                    return Map.of("Index", canonical, "Entries", s.entries());
                }
                try {
                    if (!progress.cancelRequested()) {
                        Thread.sleep(POLL_MILLIS);
                        continue;
                    }
                } catch (InterruptedException interrupted) {
                    // cancel() interrupts the wait: fall through to pausing the index
                }
                indexes.stop(canonical);
                progress.checkCancelled();
                return Map.of("Index", canonical, "Entries", s.entries());
            }
        });
    }
}

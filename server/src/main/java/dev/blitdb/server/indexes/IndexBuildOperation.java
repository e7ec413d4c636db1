package dev.blitdb.server.indexes;

import dev.blitdb.indexing.manager.IndexManager;
import dev.blitdb.indexing.worker.IndexProgress;
import dev.blitdb.indexing.worker.IndexWorker;
import dev.blitdb.server.operations.Operation;
import dev.blitdb.server.operations.OperationKind;
import dev.blitdb.server.operations.OperationState;
import dev.blitdb.server.operations.Operations;
import dev.blitdb.server.operations.Progress;

import java.util.Map;
import java.util.Optional;

/**
 * A side-by-side index build ({@code ReplacementOf/<name>}) followed as an operation ({@code /operations/{id}}, kind
 * {@code IndexRebuild}): its progress is the replacement's {@code Processed}/{@code Total}; it completes when the
 * replacement has taken the index's place; cancelling it deletes the replacement (the current version stays).
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
}

package dev.blitdb.server.http.compaction;

import dev.blitdb.server.databases.Database;
import dev.blitdb.server.databases.DatabaseLease;
import dev.blitdb.server.databases.DatabaseRegistry;
import dev.blitdb.server.http.operations.OperationJson;
import dev.blitdb.server.http.routing.Blocking;
import dev.blitdb.server.http.routing.Params;
import dev.blitdb.server.http.routing.RouteFamily;
import dev.blitdb.server.http.routing.RouteTable;
import dev.blitdb.server.operations.Operation;
import dev.blitdb.server.operations.OperationKind;
import dev.blitdb.server.operations.Progress;
import dev.blitdb.storage.engine.Limits;
import dev.blitdb.storage.engine.ReadTxn;
import dev.blitdb.storage.engine.SnapshotCopy;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Methods;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code POST /databases/{db}/admin/compact} → 202 {@code {"OperationId"}}: rewrites the data file densely while
 * the database keeps serving. Pass 1 copies a snapshot with {@link SnapshotCopy} into {@code data.blit.compacting};
 * further passes copy only what changed since the previous one, until a pass is small (at most
 * {@value #SMALL_PASS_PAGES} pages) or {@value #MAX_ONLINE_PASSES} passes ran; then the database pauses
 * ({@link Database#swapStoreFile}), the last pass copies the few changes since, and the file is swapped.
 */
public final class CompactionRoutes implements RouteFamily {

    static final long SMALL_PASS_PAGES = 2048;
    static final int MAX_ONLINE_PASSES = 6;
    static final String WORK_FILE = "data.blit.compacting";

    private final DatabaseRegistry registry;

    public CompactionRoutes(DatabaseRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void register(RouteTable routes) {
        routes.add(Methods.POST, "/databases/{db}/admin/compact", Blocking.dispatch(this::compact));
    }

    private void compact(HttpServerExchange exchange) throws IOException {
        String db = Params.path(exchange, "db");
        try (DatabaseLease lease = registry.acquire(db)) {
            String name = lease.database().name().value();
            boolean running = registry.operations().list().stream().anyMatch(o -> o.kind() == OperationKind.Compact
                    && name.equals(o.database()) && !o.state().terminal());
            if (running) {
                throw new dev.blitdb.server.http.errors.ApiException(dev.blitdb.server.http.errors.ApiError.CONFLICT,
                        "a compaction of '" + name + "' is already running");
            }
            Operation op = registry.operations().start(OperationKind.Compact, name, "compaction of '" + name + "'",
                    progress -> run(db, progress));
            OperationJson.accepted(exchange, op);
        }
    }

    private Map<String, Object> run(String db, Progress progress) throws Exception {
        long started = System.nanoTime();
        Database database;
        Path work;
        long before;
        int passes = 0;
        long lastPass;
        SnapshotCopy copy;
        try (DatabaseLease lease = registry.acquire(db)) {
            database = lease.database();
            Path file = lease.store().engine().file();
            before = Files.size(file);
            work = file.resolveSibling(WORK_FILE);
            Files.deleteIfExists(work); // left by an interrupted compaction: never the live file
            copy = SnapshotCopy.incremental(work);
        }
        progress.unit("pages");
        try {
            do {
                try (DatabaseLease lease = registry.acquire(db); ReadTxn r = lease.store().engine().beginRead()) {
                    lastPass = copy.pass(r, (done, total) -> {
                        if (total > 0) {
                            progress.total(total);
                        }
                        progress.processed(done);
                        progress.addBytes(256L * Limits.PAGE_SIZE);
                        progress.checkCancelled();
                    }).copiedPages();
                }
                passes++;
            } while (lastPass > SMALL_PASS_PAGES && passes < MAX_ONLINE_PASSES);
            long[] finalPages = new long[1];
            long pausedMillis = database.swapStoreFile(store -> {
                try (ReadTxn r = store.engine().beginRead()) {
                    finalPages[0] = copy.pass(r, SnapshotCopy.Listener.NONE).copiedPages();
                }
                copy.finish();
                copy.close();
                return work;
            });
            long after;
            try (DatabaseLease lease = registry.acquire(db)) {
                after = Files.size(lease.store().engine().file());
            }
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("BytesBefore", before);
            r.put("BytesAfter", after);
            r.put("BytesSaved", before - after);
            r.put("OnlinePasses", passes);
            r.put("PagesCopiedWhilePaused", finalPages[0]);
            r.put("PausedMilliseconds", pausedMillis);
            r.put("Seconds", Math.round((System.nanoTime() - started) / 1e6) / 1000.0);
            return r;
        } finally {
            copy.close();
            Files.deleteIfExists(work); // only still there if the swap did not happen
        }
    }
}

package dev.blitdb.server.backup;

import dev.blitdb.server.databases.Database;
import dev.blitdb.server.databases.DatabaseRegistry;
import dev.blitdb.server.databases.DatabaseService;
import dev.blitdb.server.http.backup.BackupRoutes;
import dev.blitdb.server.operations.Operation;
import dev.blitdb.server.operations.OperationKind;
import dev.blitdb.storage.backup.BackupFiles;
import dev.blitdb.storage.backup.BackupManifest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The periodic full backups of one database, a {@link DatabaseService}: the schedule is kept in
 * {@value #FILE} in the database's folder (so it survives restarts, and a restored copy does not inherit it), and
 * runs on one timer thread per scheduled database. Each run is a {@code Backup} operation; after a successful one,
 * full backups in the folder beyond the newest {@code Retention} are deleted (with their manifests). The first
 * run comes one interval after the schedule is set or the database opens.
 */
public final class BackupSchedule implements DatabaseService {

    static final String FILE = "backup-schedule.json";
    private static final int KEEP_RUNS = 10;
    private static final System.Logger LOG = System.getLogger(BackupSchedule.class.getName());

    /** A schedule: back up into {@code folder} every {@code fullEvery}, keeping {@code retention} full backups. */
    public record Config(String folder, Duration fullEvery, int retention) {
    }

    /** One run, for the status route. */
    public record Run(long operationId, Instant startedAt, String state, String detail) {
    }

    private final Database database;
    private final DatabaseRegistry registry;
    private final Deque<Run> runs = new ArrayDeque<>();
    private ScheduledExecutorService timer;
    private ScheduledFuture<?> next;
    private Instant nextRun;
    private Config config;

    private BackupSchedule(Database database, DatabaseRegistry registry) {
        this.database = database;
        this.registry = registry;
    }

    /** The factory the registry starts on every database. */
    public static DatabaseService.Factory factory(DatabaseRegistry registry) {
        return db -> {
            BackupSchedule s = new BackupSchedule(db, registry);
            Config c = ScheduleFile.read(db.folder().resolve(FILE));
            if (c != null) {
                s.apply(c);
            }
            return s;
        };
    }

    public static BackupSchedule of(Database db) {
        return db.service(BackupSchedule.class).orElseThrow(() -> new IllegalStateException("database '"
                + db.name() + "' has no backup schedule service"));
    }

    /** Sets (or, with null, removes) the schedule; persisted before it takes effect. */
    public synchronized void configure(Config c) throws IOException {
        Path file = database.folder().resolve(FILE);
        if (c == null) {
            Files.deleteIfExists(file);
        } else {
            Path tmp = file.resolveSibling(FILE + ".tmp");
            Files.writeString(tmp, ScheduleFile.write(c), StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        apply(c);
    }

    private synchronized void apply(Config c) {
        config = c;
        if (next != null) {
            next.cancel(false);
            next = null;
        }
        nextRun = null;
        if (c == null) {
            return;
        }
        if (timer == null) {
            timer = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon()
                    .name("backup-schedule-" + database.name()).unstarted(r));
        }
        long millis = c.fullEvery().toMillis();
        nextRun = Instant.now().plusMillis(millis);
        next = timer.scheduleAtFixedRate(this::runOnce, millis, millis, TimeUnit.MILLISECONDS);
    }

    private void runOnce() {
        Config c;
        synchronized (this) {
            c = config;
            nextRun = Instant.now().plus(c.fullEvery());
        }
        String name = database.name().value();
        Path folder = Path.of(c.folder());
        Operation op;
        try {
            op = registry.operations().start(OperationKind.Backup, name, "periodic full backup of '" + name
                    + "' to " + folder, p -> BackupRoutes.runBackup(registry, name, folder, 0, p));
        } catch (RuntimeException e) {
            record(new Run(-1, Instant.now(), "Faulted", e.getMessage()));
            return;
        }
        try {
            while (!op.await(60_000)) {
                Thread.onSpinWait(); // a long backup: keep waiting, a minute at a time
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        String detail = op.result() != null ? String.valueOf(op.result().get("File")) : op.errorMessage();
        record(new Run(op.id(), op.startedAt(), op.state().name(), detail));
        if (op.result() != null) {
            prune(folder, c.retention());
        }
    }

    private synchronized void record(Run run) {
        runs.addFirst(run);
        while (runs.size() > KEEP_RUNS) {
            runs.removeLast();
        }
    }

    private static void prune(Path folder, int retention) {
        try (var l = Files.list(folder)) {
            List<Path> fulls = new ArrayList<>(l.filter(p -> p.getFileName().toString()
                    .endsWith(BackupFiles.FULL_SUFFIX)).sorted().toList());
            for (int i = 0; i < fulls.size() - retention; i++) {
                Path f = fulls.get(i);
                Files.deleteIfExists(f.resolveSibling(f.getFileName() + BackupManifest.SUFFIX));
                Files.deleteIfExists(f);
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot apply backup retention in " + folder + ": " + e.getMessage());
        }
    }

    public synchronized Config config() {
        return config;
    }

    public synchronized Instant nextRun() {
        return nextRun;
    }

    public synchronized List<Run> runs() {
        return List.copyOf(runs);
    }

    @Override
    public synchronized void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}

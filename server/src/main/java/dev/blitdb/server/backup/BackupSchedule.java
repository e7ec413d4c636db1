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
 * The periodic backups of one database, a {@link DatabaseService}: the schedule is kept in {@value #FILE} in the
 * database's folder (so it survives restarts, and a restored copy does not inherit it), and runs on one timer
 * thread per scheduled database — full backups every {@code FullEvery}, and, if set, incrementals every
 * {@code IncrementalEvery} in between (one thread, so runs never overlap; an incremental with no complete backup
 * to follow is taken as a full one). Each run is a {@code Backup} operation; after a successful one, retention
 * keeps the newest {@code Retention} full backups <em>with their incrementals</em> (a chain is a full backup and
 * the incrementals after it up to the next full one) and deletes older files with their manifests. The first run
 * of each kind comes one interval after the schedule is set or the database opens.
 */
public final class BackupSchedule implements DatabaseService {

    static final String FILE = "backup-schedule.json";
    private static final int KEEP_RUNS = 10;
    private static final System.Logger LOG = System.getLogger(BackupSchedule.class.getName());

    /**
     * A schedule: a full backup into {@code folder} every {@code fullEvery}, an incremental every
     * {@code incrementalEvery} (null: none), keeping {@code retention} chains.
     */
    public record Config(String folder, Duration fullEvery, Duration incrementalEvery, int retention) {
    }

    /** One run, for the status route. */
    /** @param note why the run is not of the kind scheduled (an incremental that had to be full), else null */
    public record Run(long operationId, Instant startedAt, String type, String state, String detail, String note) {
    }

    private final Database database;
    private final DatabaseRegistry registry;
    private final Deque<Run> runs = new ArrayDeque<>();
    private ScheduledExecutorService timer;
    private ScheduledFuture<?> next;
    private ScheduledFuture<?> nextIncremental;
    private Instant nextRun;
    private Instant nextIncrementalRun;
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
        if (nextIncremental != null) {
            nextIncremental.cancel(false);
            nextIncremental = null;
        }
        nextRun = null;
        nextIncrementalRun = null;
        if (c == null) {
            return;
        }
        if (timer == null) {
            timer = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon()
                    .name("backup-schedule-" + database.name()).unstarted(r));
        }
        long millis = c.fullEvery().toMillis();
        nextRun = Instant.now().plusMillis(millis);
        next = timer.scheduleAtFixedRate(() -> runOnce(false), millis, millis, TimeUnit.MILLISECONDS);
        if (c.incrementalEvery() != null) {
            long inc = c.incrementalEvery().toMillis();
            nextIncrementalRun = Instant.now().plusMillis(inc);
            nextIncremental = timer.scheduleAtFixedRate(() -> runOnce(true), inc, inc, TimeUnit.MILLISECONDS);
        }
    }

    private void runOnce(boolean incremental) {
        Config c;
        synchronized (this) {
            c = config;
            if (c == null) {
                return;
            }
            if (incremental) {
                nextIncrementalRun = Instant.now().plus(c.incrementalEvery());
            } else {
                nextRun = Instant.now().plus(c.fullEvery());
            }
        }
        String name = database.name().value();
        Path folder = Path.of(c.folder());
        String kind = incremental ? "incremental" : "full";
        Operation op;
        try {
            op = registry.operations().start(OperationKind.Backup, name, "periodic " + kind + " backup of '" + name
                    + "' to " + folder, p -> BackupRoutes.runBackup(registry, name, folder, incremental, 0, true, p));
        } catch (RuntimeException e) {
            record(new Run(-1, Instant.now(), incremental ? "Incremental" : "Full", "Faulted", e.getMessage(),
                    null));
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
        String type = op.result() != null ? String.valueOf(op.result().get("Type"))
                : incremental ? "Incremental" : "Full";
        Object note = op.result() == null ? null : op.result().get("FullBecause");
        record(new Run(op.id(), op.startedAt(), type, op.state().name(), detail, note == null ? null
                : "a full backup instead of the scheduled incremental: " + note));
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

    /**
     * Keeps the newest {@code retention} chains: every backup file (full or incremental, with its manifest and a
     * full backup's index files) older
     * than the {@code retention}-th newest complete full backup is deleted. Files of an interrupted backup that
     * are older go too.
     */
    static void prune(Path folder, int retention) {
        try (var l = Files.list(folder)) {
            List<Path> files = l.filter(p -> {
                String n = p.getFileName().toString();
                return n.endsWith(BackupFiles.FULL_SUFFIX) || n.endsWith(BackupFiles.INCREMENTAL_SUFFIX);
            }).sorted().toList();
            List<Path> fulls = new ArrayList<>(files.stream().filter(p -> p.getFileName().toString()
                    .endsWith(BackupFiles.FULL_SUFFIX) && Files.exists(manifestOf(p))).toList());
            if (fulls.size() <= retention) {
                return;
            }
            Path oldestKept = fulls.get(fulls.size() - retention);
            for (Path f : files) {
                if (f.compareTo(oldestKept) >= 0) {
                    break;
                }
                Files.deleteIfExists(manifestOf(f));
                Files.deleteIfExists(f);
                BackupFiles.deleteTree(BackupFiles.attachmentsOf(f)); // a full backup's index files
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot apply backup retention in " + folder + ": " + e.getMessage());
        }
    }

    private static Path manifestOf(Path f) {
        return f.resolveSibling(f.getFileName() + BackupManifest.SUFFIX);
    }

    public synchronized Config config() {
        return config;
    }

    /** The next run of either kind. */
    public synchronized Instant nextRun() {
        if (nextIncrementalRun != null && nextRun != null && nextIncrementalRun.isBefore(nextRun)) {
            return nextIncrementalRun;
        }
        return nextRun;
    }

    public synchronized Instant nextFullRun() {
        return nextRun;
    }

    public synchronized Instant nextIncrementalRun() {
        return nextIncrementalRun;
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

package dev.blitdb.server.http.backup;

import dev.blitdb.server.databases.Database;
import dev.blitdb.server.databases.DatabaseLease;
import dev.blitdb.server.databases.DatabaseName;
import dev.blitdb.server.databases.DatabaseRegistry;
import dev.blitdb.server.http.body.RequestBodyReader;
import dev.blitdb.server.http.errors.ApiException;
import dev.blitdb.server.http.operations.OperationJson;
import dev.blitdb.server.http.routing.Blocking;
import dev.blitdb.server.http.routing.Params;
import dev.blitdb.server.http.routing.RouteFamily;
import dev.blitdb.server.http.routing.RouteTable;
import dev.blitdb.indexing.lucene.LuceneIndex;
import dev.blitdb.indexing.worker.IndexWorker;
import dev.blitdb.server.indexes.IndexService;
import dev.blitdb.storage.documents.DocumentReader;
import dev.blitdb.server.operations.Operation;
import dev.blitdb.server.operations.OperationKind;
import dev.blitdb.server.operations.Progress;
import dev.blitdb.storage.backup.BackupChain;
import dev.blitdb.storage.backup.BackupFiles;
import dev.blitdb.storage.backup.BackupManifest;
import dev.blitdb.storage.backup.BackupRestore;
import dev.blitdb.storage.backup.FullBackup;
import dev.blitdb.storage.backup.BackupInvalidException;
import dev.blitdb.storage.backup.IncrementalBackup;
import dev.blitdb.storage.backup.RateLimitedChannel;
import dev.blitdb.storage.engine.Limits;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Methods;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code POST /databases/{db}/admin/backup} {@code {"Folder","Type":"Full"|"Incremental"}} and {@code POST
 * /admin/databases/restore} {@code {"From","DatabaseName","UpTo"}}: both check what they can at once (400/404/409
 * before anything starts) and answer 202 {@code {"OperationId"}}; the work runs as an operation.
 */
public final class BackupRoutes implements RouteFamily {

    private static final System.Logger LOG = System.getLogger(BackupRoutes.class.getName());

    static final String BACKUP_EXAMPLE = "{\"Folder\":\"/backups/shop\",\"Type\":\"Full\",\"MaxBytesPerSecond\":0}";
    static final String RESTORE_EXAMPLE = "{\"From\":\"/backups/shop\",\"DatabaseName\":\"shop2\",\"UpTo\":"
            + "\"20261202-041500-123.full.blit\"}";

    private final DatabaseRegistry registry;
    private final RequestBodyReader bodies;

    public BackupRoutes(DatabaseRegistry registry, RequestBodyReader bodies) {
        this.registry = registry;
        this.bodies = bodies;
    }

    @Override
    public void register(RouteTable routes) {
        routes.add(Methods.POST, "/databases/{db}/admin/backup", Blocking.dispatch(this::backup))
                .add(Methods.POST, "/admin/databases/restore", Blocking.dispatch(this::restore))
                .add(Methods.PUT, "/databases/{db}/admin/backup/config", Blocking.dispatch(this::configure))
                .add(Methods.DELETE, "/databases/{db}/admin/backup/config", Blocking.dispatch(this::unconfigure))
                .add(Methods.GET, "/databases/{db}/admin/backup/status", Blocking.dispatch(this::status));
    }

    private void backup(HttpServerExchange exchange) throws IOException {
        String db = Params.path(exchange, "db");
        // Fail fast on a missing database (404) before reading the body.
        try (DatabaseLease ignored = registry.acquire(db)) {
            var body = bodies.read(exchange);
            Map<String, String> f = SmallJsonObject.parse(body.array(), body.length(), Set.of("Folder", "Type",
                    "MaxBytesPerSecond"),
                    BACKUP_EXAMPLE);
            Path folder = folder(SmallJsonObject.required(f, "Folder", BACKUP_EXAMPLE), "Folder");
            String type = f.getOrDefault("Type", BackupManifest.FULL);
            if (!type.equals(BackupManifest.FULL) && !type.equals(BackupManifest.INCREMENTAL)) {
                throw ApiException.badRequest("\"Type\" must be \"Full\" or \"Incremental\", got \"" + type + "\"");
            }
            boolean incremental = type.equals(BackupManifest.INCREMENTAL);
            if (incremental) {
                BackupManifest base = IncrementalBackup.base(ignored.store(), folder);
                if (base == null) {
                    throw ApiException.badRequest("\"Type\":\"Incremental\" needs a complete backup of '" + db
                            + "' in " + folder + " to follow, and there is none; take a \"Full\" backup first");
                }
                String gap = IncrementalBackup.gap(ignored.store(), base);
                if (gap != null) {
                    throw new BackupInvalidException(folder.resolve(base.file()).toString(), "chain", gap);
                }
            }
            long maxRate = rate(f.get("MaxBytesPerSecond"));
            Operation op = registry.operations().start(OperationKind.Backup, ignored.database().name().value(),
                    (incremental ? "incremental" : "full") + " backup of '" + db + "' to " + folder,
                    progress -> runBackup(registry, db, folder, incremental, maxRate, false, progress));
            OperationJson.accepted(exchange, op);
        }
    }

    private static long rate(String raw) {
        if (raw == null) {
            return 0;
        }
        try {
            long v = Long.parseLong(raw);
            if (v >= 0) {
                return v;
            }
        } catch (NumberFormatException e) {
            // falls through to the message
        }
        throw ApiException.badRequest("\"MaxBytesPerSecond\" must be a whole number >= 0 (0 = no limit), got " + raw);
    }

    /**
     * The work of one backup of {@code db} into {@code folder} — an incremental after the newest complete backup
     * there, or (with none, or {@code incremental} false) a full one: also what a periodic backup runs.
     *
     * @param fullOnGap when the store purged tombstones after the base backup ({@link IncrementalBackup#gap}): true
     *                  takes a full backup instead and says why in the result's {@code FullBecause} (the periodic
     *                  backup); false fails with the reason (a requested incremental)
     */
    public static Map<String, Object> runBackup(DatabaseRegistry registry, String db, Path folder, boolean incremental,
                                                long maxRate, boolean fullOnGap, Progress progress)
            throws IOException {
        long started = System.nanoTime();
        // One backup at a time per folder: two incrementals after the same base would fork the chain.
        var lock = FOLDER_LOCKS.computeIfAbsent(folder.toAbsolutePath().normalize(),
                k -> new java.util.concurrent.locks.ReentrantLock());
        try {
            lock.lockInterruptibly(); // a cancel while waiting ends the operation
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("cancelled while another backup into " + folder + " ran");
        }
        try {
            return backupLocked(registry, db, folder, incremental, maxRate, fullOnGap, progress, started);
        } finally {
            lock.unlock();
        }
    }

    private static final java.util.concurrent.ConcurrentHashMap<Path, java.util.concurrent.locks.ReentrantLock>
            FOLDER_LOCKS = new java.util.concurrent.ConcurrentHashMap<>();

    private static Map<String, Object> backupLocked(DatabaseRegistry registry, String db, Path folder,
                                                    boolean incremental, long maxRate, boolean fullOnGap,
                                                    Progress progress, long started) throws IOException {
        try (DatabaseLease lease = registry.acquire(db)) {
            long[] last = {0};
            BackupFiles.Target target = RateLimitedChannel.limit(BackupFiles.Target.FILES, maxRate);
            BackupManifest base = incremental ? IncrementalBackup.base(lease.store(), folder) : null;
            String fullBecause = null;
            if (base != null && fullOnGap) {
                fullBecause = IncrementalBackup.gap(lease.store(), base);
                base = fullBecause == null ? base : null;
            }
            BackupManifest m;
            if (base != null) {
                progress.unit("etags");
                m = IncrementalBackup.write(lease.store(), base, folder, lease.database().name().value(),
                        (done, total) -> {
                            progress.total(total);
                            progress.processed(done);
                            progress.checkCancelled();
                        }, target);
                progress.addBytes(m.bytes());
            } else {
                progress.unit("pages");
                // Pin the indexes' last commits first: each is then at or behind the store snapshot taken next.
                List<IndexPin> pins = pinIndexes(lease.database());
                try (DocumentReader reader = lease.store().beginRead()) {
                    List<FullBackup.Attachment> files = new ArrayList<>();
                    Path dbFolder = lease.database().folder().toAbsolutePath();
                    for (IndexPin pin : pins) {
                        Path source = pin.commit().folder().toAbsolutePath();
                        Path relative = dbFolder.relativize(source);
                        for (String f : pin.commit().files()) {
                            files.add(new FullBackup.Attachment(relative.resolve(f).toString(), source.resolve(f)));
                        }
                    }
                    m = FullBackup.write(lease.store(), reader, folder, lease.database().name().value(),
                            (done, total) -> {
                                progress.total(total);
                                progress.processed(done);
                                progress.addBytes((done - last[0]) * Limits.PAGE_SIZE);
                                last[0] = done;
                                progress.checkCancelled();
                            }, target, files, pins.stream().map(IndexPin::name).toList());
                } finally {
                    for (IndexPin pin : pins) {
                        try {
                            pin.index().release(pin.commit());
                        } catch (IOException | RuntimeException e) {
                            LOG.log(System.Logger.Level.DEBUG, "unpinning the commit of index " + pin.name(), e);
                        }
                    }
                }
            }
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("Type", m.type());
            if (fullBecause != null) {
                r.put("FullBecause", fullBecause);
            }
            r.put("File", folder.resolve(m.file()).toString());
            r.put("Manifest", folder.resolve(m.file() + BackupManifest.SUFFIX).toString());
            r.put("Bytes", m.bytes());
            r.put("Pages", m.pages());
            r.put("Documents", m.documents());
            if (!m.full()) {
                r.put("Tombstones", m.tombstones());
                r.put("FromEtag", m.fromEtag());
            } else {
                r.put("Indexes", m.indexes());
                r.put("IndexFiles", m.files().size());
                r.put("IndexBytes", m.files().stream().mapToLong(BackupManifest.FileEntry::bytes).sum());
            }
            r.put("LastEtag", m.lastEtag());
            r.put("DatabaseId", m.databaseId());
            r.put("Seconds", Math.round((System.nanoTime() - started) / 1e6) / 1000.0);
            return r;
        }
    }

    /** A pinned Lucene commit of one index, for a full backup. */
    private record IndexPin(String name, LuceneIndex index, LuceneIndex.PinnedCommit commit) {
    }

    /**
     * Pins the last commit of every open index of {@code db}. An index still opening (or whose commit cannot be
     * pinned) is left out: a restore builds it from the documents.
     */
    private static List<IndexPin> pinIndexes(Database db) {
        List<IndexPin> pins = new ArrayList<>();
        var service = db.service(IndexService.class);
        if (service.isEmpty()) {
            return pins;
        }
        for (IndexWorker w : service.get().indexes().workers()) {
            LuceneIndex index = w.lucene();
            if (index == null) {
                continue;
            }
            try {
                pins.add(new IndexPin(w.definition().name(), index, index.pinCommit()));
            } catch (IOException | RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "index " + w.definition().name() + " of '" + db.name()
                        + "': its commit cannot be pinned, so the backup holds no files of it (" + e + ")");
            }
        }
        return pins;
    }

    private void restore(HttpServerExchange exchange) throws Exception {
        var body = bodies.read(exchange);
        Map<String, String> f = SmallJsonObject.parse(body.array(), body.length(), Set.of("From", "DatabaseName",
                "UpTo"), RESTORE_EXAMPLE);
        Path from = Path.of(SmallJsonObject.required(f, "From", RESTORE_EXAMPLE));
        if (!from.isAbsolute()) {
            throw ApiException.badRequest("\"From\" must be an absolute path, got '" + from + "'");
        }
        DatabaseName name = new DatabaseName(SmallJsonObject.required(f, "DatabaseName", RESTORE_EXAMPLE));
        String upTo = f.get("UpTo");
        Path folder = from;
        if (Files.isRegularFile(from)) {
            folder = from.getParent();
            upTo = upTo == null ? from.getFileName().toString() : upTo;
        }
        registry.checkCreatable(name);
        BackupChain chain = BackupChain.of(folder, upTo); // manifests and completeness: a 400 before 202
        Operation op = registry.operations().start(OperationKind.Restore, name.value(), "restore of '" + name
                + "' from " + chain.file(chain.last()), progress -> runRestore(name, chain, progress));
        OperationJson.accepted(exchange, op);
    }

    private Map<String, Object> runRestore(DatabaseName name, BackupChain chain, Progress progress) throws Exception {
        long started = System.nanoTime();
        progress.unit("bytes");
        progress.total(chain.bytes());
        BackupRestore.Result[] result = new BackupRestore.Result[1];
        long[] last = {0};
        Database db = registry.createFrom(name, staging -> result[0] = BackupRestore.restore(chain, staging,
                (done, total) -> {
                    progress.processed(done);
                    progress.addBytes(done - last[0]);
                    last[0] = done;
                    progress.checkCancelled();
                }));
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("DatabaseName", db.name().value());
        r.put("DatabaseId", result[0].databaseId());
        r.put("Documents", result[0].documents());
        r.put("LastEtag", result[0].lastEtag());
        r.put("FilesApplied", chain.entries().stream().map(BackupManifest::file).toList());
        List<String> indexes = db.service(IndexService.class)
                .map(s -> s.indexes().definitions().stream().map(d -> d.name()).toList()).orElse(List.of());
        Set<String> withFiles = new java.util.TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        withFiles.addAll(chain.entries().getFirst().indexes());
        List<String> restored = indexes.stream().filter(withFiles::contains).toList();
        List<String> rebuilding = indexes.stream().filter(n -> !withFiles.contains(n)).toList();
        r.put("IndexesRestored", restored);
        r.put("IndexesRebuilding", rebuilding);
        String catchUp = chain.entries().size() > 1 ? " and index the incrementals' changes" : "";
        r.put("Message", indexes.isEmpty() ? "restored; the database has no indexes"
                : rebuilding.isEmpty() ? "restored; the " + restored.size() + " index(es) came back from the backup's "
                + "index files and resume from their commits" + catchUp + " (no rebuild)"
                : "restored; " + rebuilding.size() + " index(es) had no files in the backup and rebuild from the "
                + "documents, stale until they catch up (GET /databases/" + db.name().value() + "/indexes/stats)"
                + (restored.isEmpty() ? "" : "; " + restored.size() + " came back from the backup's index files"));
        r.put("Seconds", Math.round((System.nanoTime() - started) / 1e6) / 1000.0);
        return r;
    }

    static final String CONFIG_EXAMPLE = "{\"Folder\":\"/backups/shop\",\"FullEvery\":\"P1D\",\"IncrementalEvery\":"
            + "\"PT1H\",\"Retention\":7}";

    private void configure(HttpServerExchange exchange) throws IOException {
        try (DatabaseLease lease = registry.acquire(Params.path(exchange, "db"))) {
            var body = bodies.read(exchange);
            Map<String, String> f = SmallJsonObject.parse(body.array(), body.length(), Set.of("Folder", "FullEvery",
                    "IncrementalEvery", "Retention"), CONFIG_EXAMPLE);
            Path folder = folder(SmallJsonObject.required(f, "Folder", CONFIG_EXAMPLE), "Folder");
            java.time.Duration every = duration(SmallJsonObject.required(f, "FullEvery", CONFIG_EXAMPLE), "FullEvery");
            java.time.Duration incrementalEvery = f.get("IncrementalEvery") == null ? null
                    : duration(f.get("IncrementalEvery"), "IncrementalEvery");
            if (incrementalEvery != null && incrementalEvery.compareTo(every) >= 0) {
                throw ApiException.badRequest("\"IncrementalEvery\" (" + incrementalEvery + ") must be shorter than "
                        + "\"FullEvery\" (" + every + "); leave it out for full backups only");
            }
            int retention = (int) rateOrDefault(f.get("Retention"), 7, "Retention");
            if (retention < 1 || retention > 1000) {
                throw ApiException.badRequest("\"Retention\" must be 1..1000 full backups (each with its "
                        + "incrementals), got " + retention);
            }
            var schedule = dev.blitdb.server.backup.BackupSchedule.of(lease.database());
            schedule.configure(new dev.blitdb.server.backup.BackupSchedule.Config(folder.toString(), every,
                    incrementalEvery, retention));
            sendStatus(exchange, schedule);
        }
    }

    private static java.time.Duration duration(String raw, String field) {
        java.time.Duration d;
        try {
            d = java.time.Duration.parse(raw);
        } catch (java.time.format.DateTimeParseException e) {
            throw ApiException.badRequest("\"" + field + "\" must be an ISO-8601 duration such as P1D or PT6H, got '"
                    + raw + "'");
        }
        if (d.compareTo(java.time.Duration.ofSeconds(1)) < 0) {
            throw ApiException.badRequest("\"" + field + "\" must be at least PT1S, got " + d);
        }
        return d;
    }

    private static long rateOrDefault(String raw, long fallback, String field) {
        if (raw == null) {
            return fallback;
        }
        try {
            return Long.parseLong(raw);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("\"" + field + "\" must be a whole number, got " + raw);
        }
    }

    private void unconfigure(HttpServerExchange exchange) throws IOException {
        try (DatabaseLease lease = registry.acquire(Params.path(exchange, "db"))) {
            dev.blitdb.server.backup.BackupSchedule.of(lease.database()).configure(null);
        }
        exchange.setStatusCode(204);
        exchange.endExchange();
    }

    private void status(HttpServerExchange exchange) throws IOException {
        try (DatabaseLease lease = registry.acquire(Params.path(exchange, "db"))) {
            sendStatus(exchange, dev.blitdb.server.backup.BackupSchedule.of(lease.database()));
        }
    }

    private static void sendStatus(HttpServerExchange exchange, dev.blitdb.server.backup.BackupSchedule s)
            throws IOException {
        var config = s.config();
        var next = s.nextRun();
        var runs = s.runs();
        dev.blitdb.server.http.json.JsonBody.send(exchange, 200, json -> {
            json.writeStartObject();
            json.writeBooleanField("Scheduled", config != null);
            if (config != null) {
                json.writeStringField("Folder", config.folder());
                json.writeStringField("FullEvery", config.fullEvery().toString());
                json.writeStringField("IncrementalEvery", config.incrementalEvery() == null ? null
                        : config.incrementalEvery().toString());
                json.writeNumberField("Retention", config.retention());
                json.writeStringField("NextRun", next == null ? null : next.toString());
                json.writeStringField("NextFullRun", s.nextFullRun() == null ? null : s.nextFullRun().toString());
                json.writeStringField("NextIncrementalRun", s.nextIncrementalRun() == null ? null
                        : s.nextIncrementalRun().toString());
            }
            json.writeArrayFieldStart("LastRuns");
            for (var r : runs) {
                json.writeStartObject();
                json.writeNumberField("OperationId", r.operationId());
                json.writeStringField("StartedAt", r.startedAt().toString());
                json.writeStringField("Type", r.type());
                json.writeStringField("State", r.state());
                json.writeStringField(r.state().equals("Completed") ? "File" : "Error", r.detail());
                if (r.note() != null) {
                    json.writeStringField("Note", r.note());
                }
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        });
    }

    /** An absolute folder outside the data folder (a folder inside it would be taken for a database). */
    private Path folder(String raw, String field) {
        Path p = Path.of(raw);
        if (!p.isAbsolute()) {
            throw ApiException.badRequest("\"" + field + "\" must be an absolute path, got '" + raw + "'");
        }
        Path normalized = p.normalize();
        Path data = registry.dataDir().toAbsolutePath().normalize();
        if (normalized.startsWith(data)) {
            throw ApiException.badRequest("\"" + field + "\" " + raw + " lies inside the data folder " + data
                    + "; choose a folder outside it (ideally on another disk)");
        }
        return normalized;
    }
}

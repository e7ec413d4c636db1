package dev.blitdb.server.cli;

import dev.blitdb.storage.backup.BackupChain;
import dev.blitdb.storage.backup.BackupFiles;
import dev.blitdb.storage.backup.BackupManifest;
import dev.blitdb.storage.backup.BackupRestore;
import dev.blitdb.storage.backup.FullBackup;
import dev.blitdb.storage.backup.IncrementalBackup;
import dev.blitdb.storage.documents.DocumentReader;
import dev.blitdb.storage.documents.DocumentStore;
import dev.blitdb.storage.engine.Limits;
import dev.blitdb.storage.engine.StoreOptions;
import dev.blitdb.storage.merger.MergerOptions;

import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code blitdb backup|restore|export|import|compact}: against a running server ({@code --url}, default
 * http://127.0.0.1:8080) through the HTTP API, following the operation with a progress line on a terminal; or,
 * for backup and restore, on a stopped server's data folder ({@code --data-dir}). Prints the result as JSON.
 * Exit codes: 0 done, 1 failed (the server's or the check's message on stderr), 2 bad usage.
 */
public final class MaintenanceCommand {

    public static final Set<String> COMMANDS = Set.of("backup", "restore", "export", "import", "compact");
    static final String USAGE = """
            Usage: blitdb backup  --db NAME --folder DIR [--type Full|Incremental] [--max-bytes-per-second N]
                                  [--url URL | --data-dir DIR]
                   blitdb restore --from DIR|FILE --db NEWNAME [--up-to FILE]   [--url URL | --data-dir DIR]
                   blitdb compact --db NAME [--url URL]
                   blitdb export  --db NAME --out FILE.ndjson.gz [--url URL]
                   blitdb import  --db NAME --in FILE.ndjson.gz [--url URL]
              --url talks to a running server (default http://127.0.0.1:8080); --data-dir works on the data folder of
              a stopped server (backup and restore only). A progress bar is shown when the output is a terminal.""";

    private final PrintStream out;
    private final PrintStream err;
    private final TerminalProgress progress;

    MaintenanceCommand(PrintStream out, PrintStream err, boolean terminal) {
        this(out, err, terminal, 100);
    }

    /** {@code width}: of the progress bar's line, -1 = the terminal's. */
    MaintenanceCommand(PrintStream out, PrintStream err, boolean terminal, int width) {
        this.out = out;
        this.err = err;
        this.progress = new TerminalProgress(out, terminal, width);
    }

    /** Runs {@code command} with its options; returns the exit code. */
    public static int run(String command, List<String> args, PrintStream out, PrintStream err) {
        return new MaintenanceCommand(out, err, System.console() != null && out == System.out, -1)
                .execute(command, args);
    }

    int execute(String command, List<String> args) {
        Map<String, String> o = new HashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (!a.startsWith("--") || i + 1 >= args.size()) {
                return usage("'" + a + "' needs a value (options are --name value)");
            }
            o.put(a.substring(2), args.get(++i));
        }
        try {
            if (o.containsKey("data-dir")) {
                return offline(command, o);
            }
            return online(command, o);
        } catch (UsageException e) {
            return usage(e.getMessage());
        } catch (Exception e) {
            progress.end();
            err.println("blitdb " + command + ": " + e.getMessage());
            return 1;
        }
    }

    private int usage(String message) {
        err.println("blitdb: " + message);
        err.println(USAGE);
        return 2;
    }

    private static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }

    private static String need(Map<String, String> o, String key) {
        String v = o.get(key);
        if (v == null) {
            throw new UsageException("missing --" + key);
        }
        return v;
    }

    private int offline(String command, Map<String, String> o) throws Exception {
        Path data = Path.of(need(o, "data-dir"));
        switch (command) {
            case "backup" -> {
                Path folder = Path.of(need(o, "folder")).toAbsolutePath();
                boolean incremental = incremental(o);
                try (DocumentStore store = DocumentStore.open(existing(data, need(o, "db")), StoreOptions.defaults(),
                        MergerOptions.defaults())) {
                    BackupManifest m;
                    if (incremental) {
                        BackupManifest base = IncrementalBackup.base(store, folder);
                        if (base == null) {
                            throw new IllegalStateException("--type Incremental needs a complete backup of '"
                                    + need(o, "db") + "' in " + folder + " to follow, and there is none; take a "
                                    + "Full backup first");
                        }
                        m = IncrementalBackup.write(store, base, folder, need(o, "db"), (done, total) ->
                                progress.show("backup", "etags", done, total, -1), BackupFiles.Target.FILES);
                    } else {
                        try (DocumentReader reader = store.beginRead()) {
                            StoppedIndexes indexes = StoppedIndexes.of(store, reader, existing(data, need(o, "db")));
                            m = FullBackup.write(store, reader, folder, need(o, "db"), (done, total) ->
                                    progress.show("backup", "bytes", done * Limits.PAGE_SIZE,
                                            total * Limits.PAGE_SIZE, -1), BackupFiles.Target.FILES,
                                    indexes.files(), indexes.included());
                            progress.end();
                            out.println(SmallJson.object("Type", m.type(), "File", folder.resolve(m.file())
                                    .toString(), "Bytes", m.bytes(), "Documents", m.documents(), "LastEtag",
                                    m.lastEtag(), "Indexes", String.join(",", indexes.included()),
                                    "IndexesRebuildOnRestore", String.join(",", indexes.left().keySet()),
                                    "Message", indexes.message()));
                        }
                        return 0;
                    }
                    progress.end();
                    out.println(SmallJson.object("Type", m.type(), "File", folder.resolve(m.file()).toString(),
                            "Bytes", m.bytes(), "Documents", m.documents(), "LastEtag", m.lastEtag()));
                }
            }
            case "restore" -> {
                Path from = Path.of(need(o, "from")).toAbsolutePath();
                String upTo = o.get("up-to");
                Path folder = from;
                if (Files.isRegularFile(from)) {
                    folder = from.getParent();
                    upTo = upTo == null ? from.getFileName().toString() : upTo;
                }
                String db = need(o, "db");
                Path target = data.resolve(db);
                if (Files.exists(target)) {
                    throw new IllegalStateException(target + " exists; restore creates a new database");
                }
                BackupChain chain = BackupChain.of(folder, upTo);
                Path staging = data.resolve(".restoring-" + db + "-" + System.nanoTime());
                try {
                    BackupRestore.Result r = BackupRestore.restore(chain, staging, (done, total) -> progress.show(
                            "restore", "bytes", done, total, -1));
                    Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
                    progress.end();
                    // Which indexes come back from the backup's files and which rebuild when a server opens it.
                    Set<String> withFiles = new java.util.TreeSet<>(String.CASE_INSENSITIVE_ORDER);
                    withFiles.addAll(chain.entries().getFirst().indexes());
                    List<String> restored = new java.util.ArrayList<>();
                    List<String> rebuilding = new java.util.ArrayList<>();
                    try (DocumentStore store = DocumentStore.open(target, StoreOptions.defaults(),
                            MergerOptions.defaults())) {
                        for (var d : dev.blitdb.indexing.manager.IndexManager.storedIndexes(store,
                                target.resolve("indexes")).keySet()) {
                            (withFiles.contains(d.name()) ? restored : rebuilding).add(d.name());
                        }
                    }
                    out.println(SmallJson.object("DatabaseName", db, "Documents", r.documents(), "LastEtag",
                            r.lastEtag(), "Folder", target.toString(), "IndexesRestored", String.join(",", restored),
                            "IndexesRebuilding", String.join(",", rebuilding), "Message", rebuilding.isEmpty()
                                    ? "restored; " + (restored.isEmpty() ? "the database has no indexes"
                                    : "the indexes resume from the backup's index files (no rebuild)")
                                    : "restored; " + rebuilding.size() + " index(es) had no files in the backup and "
                                    + "rebuild from the documents when the server opens the database"));
                } finally {
                    if (Files.exists(staging)) {
                        try (var paths = Files.walk(staging)) {
                            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                                Files.delete(p);
                            }
                        }
                    }
                }
            }
            default -> throw new UsageException(command + " needs a running server (--url); --data-dir works for "
                    + "backup and restore");
        }
        return 0;
    }

    private static boolean incremental(Map<String, String> o) {
        String type = o.getOrDefault("type", "Full");
        if (!type.equalsIgnoreCase("Full") && !type.equalsIgnoreCase("Incremental")) {
            throw new UsageException("--type must be Full or Incremental, got " + type);
        }
        return type.equalsIgnoreCase("Incremental");
    }

    private static Path existing(Path data, String db) {
        Path p = data.resolve(db);
        if (!Files.exists(p.resolve("data.blit"))) {
            throw new IllegalStateException("no database '" + db + "' in " + data + " (no " + p.resolve("data.blit")
                    + ")");
        }
        return p;
    }

    private int online(String command, Map<String, String> o) throws Exception {
        String url = o.getOrDefault("url", "http://127.0.0.1:8080").replaceAll("/+$", "");
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()) {
            String db = need(o, "db");
            String dbPath = "/databases/" + java.net.URLEncoder.encode(db, java.nio.charset.StandardCharsets.UTF_8);
            switch (command) {
                case "backup" -> {
                    String rate = o.get("max-bytes-per-second");
                    String body = SmallJson.object("Folder", Path.of(need(o, "folder")).toAbsolutePath().toString(),
                            "Type", incremental(o) ? "Incremental" : "Full", "MaxBytesPerSecond",
                            rate == null ? null : Long.parseLong(rate));
                    return follow(http, url, post(http, url + dbPath + "/admin/backup", body), "backup");
                }
                case "restore" -> {
                    String body = SmallJson.object("From", Path.of(need(o, "from")).toAbsolutePath().toString(),
                            "DatabaseName", db, "UpTo", o.get("up-to"));
                    return follow(http, url, post(http, url + "/admin/databases/restore", body), "restore");
                }
                case "compact" -> {
                    return follow(http, url, post(http, url + dbPath + "/admin/compact", ""), "compact");
                }
                case "export" -> {
                    Path file = Path.of(need(o, "out"));
                    var r = http.send(HttpRequest.newBuilder(URI.create(url + dbPath + "/export")).build(),
                            HttpResponse.BodyHandlers.ofInputStream());
                    try (var in = r.body()) {
                        if (r.statusCode() != 200) {
                            throw new IllegalStateException(new String(in.readAllBytes(),
                                    java.nio.charset.StandardCharsets.UTF_8));
                        }
                        try (var fileOut = Files.newOutputStream(file)) {
                            byte[] buf = new byte[1 << 16];
                            long done = 0;
                            for (int n; (n = in.read(buf)) > 0; ) {
                                fileOut.write(buf, 0, n);
                                done += n;
                                progress.show("export", "bytes", done, -1, -1);
                            }
                        }
                    } catch (RuntimeException | java.io.IOException e) {
                        Files.deleteIfExists(file);
                        throw e;
                    }
                    progress.end();
                    out.println(SmallJson.object("File", file.toAbsolutePath().toString(), "Bytes",
                            Files.size(file)));
                    return 0;
                }
                case "import" -> {
                    Path file = Path.of(need(o, "in"));
                    long size = Files.size(file);
                    var counting = new java.io.FilterInputStream(Files.newInputStream(file)) {
                        long done;

                        @Override
                        public int read(byte[] b, int off, int len) throws java.io.IOException {
                            int n = super.read(b, off, len);
                            if (n > 0) {
                                done += n;
                                progress.show("import", "bytes", done, size, -1);
                            }
                            return n;
                        }
                    };
                    HttpResponse<String> r;
                    try (counting) {
                        r = http.send(HttpRequest.newBuilder(URI.create(url + dbPath + "/import"))
                                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> counting)).build(),
                                HttpResponse.BodyHandlers.ofString());
                    }
                    progress.end();
                    if (r.statusCode() != 200) {
                        throw new IllegalStateException(r.body());
                    }
                    out.println(r.body());
                    return 0;
                }
                default -> throw new UsageException("unknown command " + command);
            }
        }
    }

    private static long post(HttpClient http, String uri, String body) throws Exception {
        var r = http.send(HttpRequest.newBuilder(URI.create(uri)).POST(HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 202) {
            throw new IllegalStateException(r.body());
        }
        return Long.parseLong(SmallJson.flatten(r.body()).get("OperationId"));
    }

    /** Polls the operation until it ends, drawing the progress line; prints the result or the error. */
    private int follow(HttpClient http, String url, long id, String what) throws Exception {
        for (; ; ) {
            var r = http.send(HttpRequest.newBuilder(URI.create(url + "/operations/" + id)).build(),
                    HttpResponse.BodyHandlers.ofString());
            Map<String, String> op = SmallJson.flatten(r.body());
            String state = op.get("State");
            progress.show(what, op.get("Progress.Unit"), Long.parseLong(op.get("Progress.Processed")),
                    Long.parseLong(op.get("Progress.Total")), Long.parseLong(op.get("Progress.EtaSeconds")));
            if (!state.equals("Running")) {
                progress.end();
                if (state.equals("Completed")) {
                    out.println(op.get("Result"));
                    return 0;
                }
                err.println("blitdb " + what + ": operation " + id + " " + state + ": " + op.get("Error.Type")
                        + ": " + op.get("Error.Message"));
                return 1;
            }
            Thread.sleep(200);
        }
    }
}

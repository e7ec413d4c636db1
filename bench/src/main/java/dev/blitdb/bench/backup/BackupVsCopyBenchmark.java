package dev.blitdb.bench.backup;

import dev.blitdb.blittable.BlitWriter;
import dev.blitdb.storage.backup.BackupFiles;
import dev.blitdb.storage.backup.BackupManifest;
import dev.blitdb.storage.backup.FullBackup;
import dev.blitdb.storage.documents.DocumentStore;
import dev.blitdb.storage.engine.Durability;
import dev.blitdb.storage.engine.SnapshotCopy;
import dev.blitdb.storage.engine.StoreOptions;
import dev.blitdb.storage.merger.MergerOptions;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

/**
 * Full backup of an idle store vs {@code cp} of its {@code data.blit} followed by {@code sync} of the copy (a
 * backup is synced too), alternating rounds, medians. The store is loaded once with ~4 KB incompressible documents
 * and a fifth of them overwritten (so the file has free pages, as a store that lived does).
 *
 * <p>Usage: {@code java -cp server/target/blitdb-server.jar:bench/target/classes
 * dev.blitdb.bench.backup.BackupVsCopyBenchmark <work-dir> <store-MiB> <rounds>}
 */
public final class BackupVsCopyBenchmark {

    public static void main(String[] args) throws Exception {
        Path work = Path.of(args[0]);
        long targetBytes = Long.parseLong(args[1]) << 20;
        int rounds = Integer.parseInt(args[2]);
        Path src = work.resolve("src");
        if (!Files.exists(src.resolve("data.blit"))) {
            load(src, targetBytes);
        }
        long fileBytes = Files.size(src.resolve("data.blit"));
        System.out.printf("store: data.blit %d bytes (%.1f MiB)%n", fileBytes, fileBytes / 1048576.0);
        List<Double> backupSeconds = new ArrayList<>();
        List<Double> cpSeconds = new ArrayList<>();
        long backupBytes = 0;
        try (DocumentStore store = DocumentStore.open(src, StoreOptions.defaults(), MergerOptions.defaults())) {
            for (int round = 0; round < rounds; round++) {
                Path out = work.resolve("out");
                delete(out);
                Files.createDirectories(out);
                long t0 = System.nanoTime();
                BackupManifest m = FullBackup.write(store, out.resolve("backup"), "bench", SnapshotCopy.Listener.NONE,
                        BackupFiles.Target.FILES);
                double b = (System.nanoTime() - t0) / 1e9;
                backupBytes = m.bytes();
                delete(out);
                Files.createDirectories(out);
                Path copy = out.resolve("data.blit");
                t0 = System.nanoTime();
                run("cp", src.resolve("data.blit").toString(), copy.toString());
                run("sync", copy.toString());
                double c = (System.nanoTime() - t0) / 1e9;
                delete(out);
                backupSeconds.add(b);
                cpSeconds.add(c);
                System.out.printf("round %d: backup %.3f s (%d bytes written), cp+sync %.3f s%n", round + 1, b,
                        m.bytes(), c);
            }
        }
        double mb = median(backupSeconds);
        double mc = median(cpSeconds);
        System.out.printf("median backup %.3f s = %.1f MiB/s of data.blit (%.1f MiB/s written); median cp+sync %.3f s"
                        + " = %.1f MiB/s; backup/cp throughput ratio %.2f%n", mb, fileBytes / 1048576.0 / mb,
                backupBytes / 1048576.0 / mb, mc, fileBytes / 1048576.0 / mc, mc / mb);
    }

    private static void load(Path src, long targetBytes) throws Exception {
        Random random = new Random(42);
        BlitWriter blit = new BlitWriter();
        byte[] noise = new byte[3000];
        try (DocumentStore store = DocumentStore.open(src, StoreOptions.defaults()
                .withDurability(Durability.NO_SYNC), MergerOptions.defaults())) {
            long docs = targetBytes / 4600;
            List<CompletableFuture<?>> inFlight = new ArrayList<>();
            for (long i = 0; i < docs + docs / 5; i++) {
                long id = i < docs ? i : random.nextLong(docs); // the last fifth overwrites: free pages appear
                random.nextBytes(noise);
                byte[] json = ("{\"N\":" + i + ",\"Pad\":\"" + Base64.getEncoder().encodeToString(noise)
                        + "\",\"@metadata\":{\"@collection\":\"Items\"}}").getBytes(StandardCharsets.UTF_8);
                inFlight.add(store.put("items/" + id, blit.convert(json, 0, json.length).toByteArray(), null));
                if (inFlight.size() == 2000) {
                    CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)).join();
                    inFlight.clear();
                }
            }
            CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)).join();
            var s = store.engine().stats();
            System.out.printf("loaded %d documents: file %d bytes, %d pages used, %d free%n", docs,
                    s.fileBytes(), s.usedPages(), s.freePages());
        }
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).inheritIO().start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed");
        }
    }

    private static void delete(Path root) throws Exception {
        if (Files.exists(root)) {
            try (var paths = Files.walk(root)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    private static double median(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        s.sort(null);
        return s.get(s.size() / 2);
    }
}

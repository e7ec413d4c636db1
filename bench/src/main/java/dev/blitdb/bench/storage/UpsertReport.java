package dev.blitdb.bench.storage;

import dev.blitdb.blittable.BlitWriter;
import dev.blitdb.storage.documents.DocumentStore;
import dev.blitdb.storage.engine.StoreOptions;
import dev.blitdb.storage.merger.MergerOptions;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * Durable random upserts of ~1 KB documents into a document store of {@code docs} documents, from {@code threads}
 * threads, without HTTP: what the server's PUT costs in storage alone (issue 11). Loads the store first when it
 * is empty (batched, durable), then runs for {@code seconds} and prints writes per second, commits, writes per
 * commit and the mean time of a commit's sync and of its whole durable step.
 *
 * <pre>java -cp benchmarks.jar dev.blitdb.bench.storage.UpsertReport DIR [docs=100000] [threads=64] [seconds=10]</pre>
 */
public final class UpsertReport {

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int docs = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 64;
        int seconds = args.length > 3 ? Integer.parseInt(args[3]) : 10;
        boolean fresh = !Files.exists(dir.resolve("data.blit"));
        long opening = System.nanoTime();
        try (DocumentStore db = DocumentStore.open(dir, StoreOptions.defaults(), MergerOptions.defaults())) {
            System.out.printf("opened in %.0f ms%n", (System.nanoTime() - opening) / 1e6);
            if (fresh) {
                long t0 = System.nanoTime();
                List<CompletableFuture<?>> pending = new ArrayList<>();
                for (int i = 1; i <= docs; i++) {
                    pending.add(db.put("docs/" + i, doc(i), null));
                    if (pending.size() == 2048) {
                        CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).join();
                        pending.clear();
                    }
                }
                CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).join();
                System.out.printf("loaded %d documents in %.1f s, file %d MB%n", docs,
                        (System.nanoTime() - t0) / 1e9, Files.size(dir.resolve("data.blit")) >> 20);
            }
            LongAdder syncNanos = new LongAdder();
            LongAdder syncs = new LongAdder();
            LongAdder syncBytes = new LongAdder();
            LongAdder commitNanos = new LongAdder();
            db.engine().observeCommits((bytes, nanos) -> {
                syncNanos.add(nanos);
                syncs.increment();
                syncBytes.add(bytes);
            });
            db.merger().observe((ops, nanos) -> commitNanos.add(nanos));
            for (int round = 0; round < 2; round++) {
                String label = round == 0 ? "warm-up" : "measured";
                var before = db.merger().stats();
                long ioBefore = writeBytes();
                syncNanos.reset();
                syncs.reset();
                syncBytes.reset();
                commitNanos.reset();
                LongAdder done = new LongAdder();
                AtomicBoolean stop = new AtomicBoolean();
                List<Thread> workers = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    workers.add(Thread.ofPlatform().start(() -> {
                        ThreadLocalRandom r = ThreadLocalRandom.current();
                        while (!stop.get()) {
                            int k = 1 + r.nextInt(docs);
                            db.put("docs/" + k, doc(k), null).join();
                            done.increment();
                        }
                    }));
                }
                int secs = round == 0 ? Math.max(3, seconds / 2) : seconds;
                long t0 = System.nanoTime();
                Thread.sleep(secs * 1000L);
                stop.set(true);
                for (Thread w : workers) {
                    w.join();
                }
                double elapsed = (System.nanoTime() - t0) / 1e9;
                var after = db.merger().stats();
                long commits = after.commits() - before.commits();
                long ops = after.operations() - before.operations();
                long n = Math.max(1, syncs.sum());
                System.out.printf("%s: %.0f writes/s, %d commits, %.1f writes/commit, sync %.2f ms (%.0f KB synced "
                                + "range), durable step %.2f ms per commit%n", label, done.sum() / elapsed, commits,
                        ops / (double) Math.max(1, commits), syncNanos.sum() / 1e6 / n, syncBytes.sum() / 1024.0 / n,
                        commitNanos.sum() / 1e6 / Math.max(1, commits));
                System.out.printf("  disk writes of this process: %.1f MB, %.0f KB per commit%n",
                        (writeBytes() - ioBefore) / 1048576.0, (writeBytes() - ioBefore) / 1024.0 / Math.max(1, commits));
            }
        }
    }

    /** Bytes this process made the kernel write to storage ({@code /proc/self/io}), or 0 where unknown. */
    private static long writeBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/io"))) {
                if (line.startsWith("write_bytes:")) {
                    return Long.parseLong(line.substring(12).trim());
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            return 0;
        }
        return 0;
    }

    private static final String BIO = "page commit index query engine value ".repeat(21);

    /** A ~1 KB document shaped like bench/pg's (same Name, random City and Age). */
    static byte[] doc(int k) {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        String json = "{\"Name\":\"name-" + k + "\",\"City\":\"city-" + r.nextInt(50) + "\",\"Age\":"
                + (18 + r.nextInt(62)) + ",\"Email\":\"user" + k + "@example.com\",\"Active\":true,"
                + "\"Tags\":[\"put\",\"bench\"],\"Bio\":\"" + BIO + "\",\"@metadata\":{\"@collection\":\"Docs\"}}";
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        return new BlitWriter().convert(bytes, 0, bytes.length).toByteArray();
    }
}

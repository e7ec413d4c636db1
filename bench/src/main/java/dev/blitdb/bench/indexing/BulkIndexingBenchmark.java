package dev.blitdb.bench.indexing;

import dev.blitdb.blittable.BlitWriter;
import dev.blitdb.indexing.definition.IndexDefinitionJson;
import dev.blitdb.indexing.manager.IndexManager;
import dev.blitdb.indexing.worker.IndexStats;
import dev.blitdb.indexing.worker.IndexWorker;
import dev.blitdb.indexing.worker.IndexingOptions;
import dev.blitdb.indexing.worker.ThreadSpawner;
import dev.blitdb.storage.documents.DocumentCommand;
import dev.blitdb.storage.documents.DocumentReader;
import dev.blitdb.storage.documents.DocumentStore;
import dev.blitdb.storage.engine.StoreOptions;
import dev.blitdb.storage.merger.MergerOptions;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.store.MMapDirectory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import static dev.blitdb.bench.indexing.IndexingBenchmark.config;
import static dev.blitdb.bench.indexing.IndexingBenchmark.currentThreadCpuSeconds;
import static dev.blitdb.bench.indexing.IndexingBenchmark.deleteTree;
import static dev.blitdb.bench.indexing.IndexingBenchmark.entry;
import static dev.blitdb.bench.indexing.IndexingBenchmark.loadAverage;
import static dev.blitdb.bench.indexing.IndexingBenchmark.median;
import static dev.blitdb.bench.indexing.IndexingBenchmark.processCpuSeconds;
import static dev.blitdb.bench.indexing.IndexingBenchmark.threadCpuSeconds;

/**
 * The index side of a bulk load (issue 12): what an index built while its documents arrive costs against a
 * rebuild, and what the Lucene writer's settings decide. CPU seconds of the threads, not wall time, are the figures.
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -Xmx3g -cp bench/target/benchmarks.jar \
 *     dev.blitdb.bench.indexing.BulkIndexingBenchmark incremental /tmp/blitinc 3 200000
 * ... BulkIndexingBenchmark flushmerge /tmp/blitfm 2 1000000 8,32,128   # Lucene alone, by RAM buffer (MB)
 * ... -DflushHelper=true BulkIndexingBenchmark flushmerge /tmp/blitfm 2 1000000 32
 * </pre>
 */
public final class BulkIndexingBenchmark {

    private BulkIndexingBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: BulkIndexingBenchmark incremental|flushmerge <folder> <runs> [count] [MB,...]");
            System.exit(2);
        }
        Path folder = Path.of(args[1]);
        int runs = Integer.parseInt(args[2]);
        switch (args[0]) {
            case "incremental" -> incremental(folder, runs, args.length > 3 ? Integer.parseInt(args[3]) : 300_000);
            case "flushmerge" -> flushMerge(folder, runs, args.length > 3 ? Integer.parseInt(args[3]) : 1_000_000,
                    args.length > 4 ? args[4] : "32,64,128");
            default -> {
                System.err.println("unknown mode " + args[0]);
                System.exit(2);
            }
        }
    }

    // ---- flushmerge: what the RAM buffer decides (flushes, merges, their CPU), Lucene alone -------------------

    /**
     * The same entries as the BlitDB worker makes, added by one thread into a writer configured as
     * {@code LuceneIndex.tune} but with each RAM buffer size given (MB, comma-separated), then committed; per
     * size and run: the adding thread's CPU, the merge threads' CPU (timed around each merge by the merge
     * scheduler), merges and the segments left. Sizes rotate per run. With {@code -DflushHelper=true}
     * the adding thread hands each full buffer to a short-lived thread ({@link IndexWriter#flushNextBuffer()}) once
     * the active buffer passes the size, the writer's own limit set to twice that as a backstop: what flushing on a
     * second thread would save the indexing thread, and cost in all.
     */
    private static void flushMerge(Path folder, int runs, int count, String sizes) throws Exception {
        double[] mbs = java.util.Arrays.stream(sizes.split(",")).mapToDouble(Double::parseDouble).toArray();
        Files.createDirectories(folder);
        java.util.Map<Double, List<Double>> totals = new java.util.TreeMap<>();
        for (int run = -1; run < runs; run++) {
            for (int k = 0; k < mbs.length; k++) {
                double mb = mbs[Math.floorMod(run + k, mbs.length)];
                Path dir = Files.createTempDirectory(folder, "fm-");
                java.util.concurrent.atomic.AtomicLong mergeNanos = new java.util.concurrent.atomic.AtomicLong();
                java.util.concurrent.atomic.AtomicInteger merges = new java.util.concurrent.atomic.AtomicInteger();
                var scheduler = new org.apache.lucene.index.ConcurrentMergeScheduler() {
                    @Override
                    protected void doMerge(MergeSource source, org.apache.lucene.index.MergePolicy.OneMerge merge)
                            throws IOException {
                        var bean = java.lang.management.ManagementFactory.getThreadMXBean();
                        long cpu = bean.getCurrentThreadCpuTime();
                        super.doMerge(source, merge);
                        mergeNanos.addAndGet(bean.getCurrentThreadCpuTime() - cpu);
                        merges.incrementAndGet();
                    }
                };
                boolean helper = Boolean.getBoolean("flushHelper");
                IndexWriterConfig config = config().setRAMBufferSizeMB(helper ? 2 * mb : mb).setMergeScheduler(scheduler);
                java.util.concurrent.atomic.AtomicLong helperNanos = new java.util.concurrent.atomic.AtomicLong();
                try (var directory = new MMapDirectory(dir); var writer = new IndexWriter(directory, config)) {
                    double cpu = currentThreadCpuSeconds();
                    long wall = System.nanoTime();
                    Thread flusher = null;
                    long limit = (long) (mb * 1024 * 1024);
                    for (int i = 0; i < count; i++) {
                        writer.addDocument(entry(BenchDocuments.id(i), "name-" + i, BenchDocuments.age(i),
                                BenchDocuments.city(i)));
                        if (helper && (i & 255) == 255 && (flusher == null || !flusher.isAlive())
                                && writer.ramBytesUsed() - writer.getFlushingBytes() >= limit) {
                            flusher = new Thread(() -> {
                                var bean = java.lang.management.ManagementFactory.getThreadMXBean();
                                long c = bean.getCurrentThreadCpuTime();
                                try {
                                    writer.flushNextBuffer();
                                } catch (IOException e) {
                                    throw new java.io.UncheckedIOException(e);
                                }
                                helperNanos.addAndGet(bean.getCurrentThreadCpuTime() - c);
                            });
                            flusher.start();
                        }
                    }
                    if (flusher != null) {
                        flusher.join();
                    }
                    System.out.printf(Locale.ROOT, "  added in %.2f s wall, flush helper CPU %.2f s%n",
                            (System.nanoTime() - wall) / 1e9, helperNanos.get() / 1e9);
                    writer.commit();
                    double adder = currentThreadCpuSeconds() - cpu;
                    scheduler.sync();
                    int segments;
                    try (var reader = org.apache.lucene.index.DirectoryReader.open(writer)) {
                        segments = reader.leaves().size();
                    }
                    double merged = mergeNanos.get() / 1e9;
                    System.out.printf(Locale.ROOT, "%s ram %.0f MB: adding thread CPU %.2f s, merges %d (%.2f CPU-s), "
                            + "total %.2f s, segments left %d, index %d MB; load %s%n",
                            run < 0 ? "warm-up" : "run " + run, mb, adder, merges.get(), merged, adder + merged,
                            segments, folderBytes(dir) >> 20, loadAverage());
                    if (run >= 0) {
                        totals.computeIfAbsent(mb, x -> new ArrayList<>()).add(adder + merged);
                    }
                } finally {
                    deleteTree(dir);
                }
            }
        }
        totals.forEach((mb, t) -> System.out.printf(Locale.ROOT, "median CPU (adding + merges) for %d documents, "
                + "ram %.0f MB: %.2f s%n", count, mb, median(t)));
    }

    private static long folderBytes(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.mapToLong(f -> f.toFile().length()).sum();
        }
    }

    // ---- incremental: the index built while the documents arrive (an import) vs a rebuild of the same --------

    /**
     * The index side of an import, in one process: the index exists first (as a dump's definition line makes it),
     * then one thread converts and commits {@code count} documents in batches of 2,048 (the import pipeline's
     * batch), waking the worker at every commit, while the worker runs at {@code Normal} (nice 5, as in a server).
     * Then the index is reset and rebuilt from the same store. Per phase the worker thread's CPU seconds — the
     * figure the machine's load moves least — and the writer's.
     */
    private static void incremental(Path folder, int runs, int count) throws Exception {
        List<Double> incremental = new ArrayList<>();
        List<Double> rebuild = new ArrayList<>();
        for (int run = 0; run < runs; run++) {
            Path dir = folder.resolve("incremental-" + run);
            deleteTree(dir);
            Files.createDirectories(dir);
            try (DocumentStore store = DocumentStore.open(dir.resolve("db"), StoreOptions.defaults(), MergerOptions.defaults());
                 ThreadSpawner spawner = new ThreadSpawner("bench-spawner");
                 IndexManager manager = IndexManager.open("bench", store, dir.resolve("indexes"), spawner,
                         IndexingOptions.defaults())) {
                byte[] def = BenchDocuments.INDEX_JSON.getBytes(StandardCharsets.UTF_8);
                manager.put(IndexDefinitionJson.parse(def, 0, def.length));
                IndexWorker worker = manager.require("Users/Bench");
                long started = System.nanoTime();
                double processCpu = processCpuSeconds();
                double writerCpu = currentThreadCpuSeconds();
                BlitWriter writer = new BlitWriter();
                List<DocumentCommand> batch = new ArrayList<>(2048);
                java.util.concurrent.CompletableFuture<?> inFlight = null;
                for (int i = 0; i < count; i++) {
                    byte[] json = BenchDocuments.json(i);
                    batch.add(new DocumentCommand.Put(BenchDocuments.id(i), writer.convert(json, 0, json.length).toByteArray(), null));
                    if (batch.size() == 2048 || i == count - 1) {
                        if (inFlight != null) {
                            inFlight.join(); // one batch in flight while the next is converted, as the pipeline
                        }
                        inFlight = store.batch(batch);
                        batch = new ArrayList<>(2048);
                    }
                }
                inFlight.join();
                writerCpu = currentThreadCpuSeconds() - writerCpu;
                double written = (System.nanoTime() - started) / 1e9;
                IndexStats s = worker.stats();
                double atEnd = threadCpuSeconds(s.threadId());
                long lag = worker.progress().lagDocuments();
                long asOf;
                try (DocumentReader r = store.beginRead()) {
                    asOf = r.lastEtag();
                }
                if (!worker.awaitNonStale(asOf, 3_600_000_000_000L)) {
                    throw new IllegalStateException("index did not catch up");
                }
                double caughtUp = (System.nanoTime() - started) / 1e9;
                double cpu = threadCpuSeconds(s.threadId());
                processCpu = processCpuSeconds() - processCpu;
                s = worker.stats();
                System.out.printf(Locale.ROOT, "run %d incremental: written in %.1f s (writer CPU %.1f s), lag then %d, "
                        + "index answers at %.1f s; worker CPU %.2f s (%.2f s after the writes), process CPU %.1f s, "
                        + "%d batches, %d added, %d refreshes, %d commits; load %s%n", run, written, writerCpu, lag,
                        caughtUp, cpu, cpu - atEnd, processCpu, s.batches(), s.documentsAdded(), s.refreshes(), s.commits(), loadAverage());
                Thread.sleep(1500); // let the worker's lazy refresh and commit after the writes finish before the rebuild is timed
                double before = threadCpuSeconds(s.threadId());
                long batchesBefore = s.batches();
                long rebuildStarted = System.nanoTime();
                double rebuildProcessCpu = processCpuSeconds();
                manager.reset("Users/Bench");
                Thread.sleep(50);
                if (!worker.awaitNonStale(asOf, 3_600_000_000_000L)) {
                    throw new IllegalStateException("index did not catch up after the reset");
                }
                double rebuilt = (System.nanoTime() - rebuildStarted) / 1e9;
                s = worker.stats();
                double rebuildCpu = threadCpuSeconds(s.threadId()) - before;
                rebuildProcessCpu = processCpuSeconds() - rebuildProcessCpu;
                System.out.printf(Locale.ROOT, "run %d rebuild: %.1f s, worker CPU %.2f s, process CPU %.1f s, %d batches, "
                        + "%d entries; worker CPU incremental / rebuild %.2f; load %s%n", run, rebuilt, rebuildCpu,
                        rebuildProcessCpu,
                        s.batches() - batchesBefore, s.entries(), cpu / rebuildCpu, loadAverage());
                incremental.add(cpu);
                rebuild.add(rebuildCpu);
            } finally {
                deleteTree(dir);
            }
        }
        System.out.printf(Locale.ROOT, "median worker CPU for %d documents: incremental %.2f s, rebuild %.2f s, ratio %.2f%n",
                count, median(incremental), median(rebuild), median(incremental) / median(rebuild));
    }
}

package dev.blitdb.bench.indexing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.blitdb.blittable.BlitWriter;
import dev.blitdb.indexing.definition.IndexDefinition;
import dev.blitdb.indexing.definition.IndexDefinitionJson;
import dev.blitdb.indexing.manager.IndexManager;
import dev.blitdb.indexing.worker.IndexStats;
import dev.blitdb.indexing.worker.IndexWorker;
import dev.blitdb.indexing.worker.IndexingOptions;
import dev.blitdb.indexing.worker.ThreadSpawner;
import dev.blitdb.storage.documents.DocumentCommand;
import dev.blitdb.storage.documents.DocumentIterator;
import dev.blitdb.storage.documents.DocumentReader;
import dev.blitdb.storage.documents.DocumentStore;
import dev.blitdb.storage.documents.StoredDocument;
import dev.blitdb.storage.engine.StoreOptions;
import dev.blitdb.storage.merger.MergerOptions;
import dev.blitdb.storage.nativeio.NativeIo;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KeywordField;
import org.apache.lucene.document.LongField;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.store.MMapDirectory;

import java.io.BufferedReader;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Indexing throughput and prefetch on a cold cache, in one JVM, modes alternated, medians reported.
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -Xmx3g -cp bench/target/benchmarks.jar \
 *     dev.blitdb.bench.indexing.IndexingBenchmark load /tmp/blitbench 1000000
 * ... IndexingBenchmark throughput /tmp/blitbench 3     # BlitDB worker vs raw Lucene vs Jackson+Lucene
 * ... IndexingBenchmark coldcache  /tmp/blitbench 3     # rebuild after dropping the page cache, prefetch on/off
 * </pre>
 * {@code load} writes the documents into database {@code bench} under the folder (where a server started with
 * {@code --data-dir} finds it) and the same JSON, one document per line, to {@code bench.ndjson}.
 */
public final class IndexingBenchmark {

    private IndexingBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: IndexingBenchmark load|throughput|coldcache <folder> <count|runs>");
            System.exit(2);
        }
        Path folder = Path.of(args[1]);
        int n = Integer.parseInt(args[2]);
        switch (args[0]) {
            case "load" -> load(folder, n);
            case "throughput" -> throughput(folder, n);
            case "coldcache" -> coldCache(folder, n);
            case "dropcheck" -> {
                try (DocumentStore store = DocumentStore.open(database(folder))) {
                    System.out.println("before: " + resident(store));
                    dropCache(store);
                    System.out.println("after dropping: " + resident(store));
                }
            }
            case "blitdb" -> {
                int batch = Integer.getInteger("batchDocuments", IndexingOptions.defaults().batchDocuments());
                long millis = Long.getLong("batchMillis", IndexingOptions.defaults().batchTime().toMillis());
                var options = new IndexingOptions(batch, java.time.Duration.ofMillis(millis),
                        IndexingOptions.defaults().prefetchDocuments(), IndexingOptions.defaults().tombstoneBatch());
                try (DocumentStore store = DocumentStore.open(database(folder))) {
                    for (int run = 0; run < n; run++) {
                        System.out.printf(Locale.ROOT, "blitdb rebuild (batch %d docs / %d ms): %.1f s; load %s%n",
                                batch, millis, blitdbRebuild(store, folder, options), loadAverage());
                    }
                }
            }
            default -> {
                System.err.println("unknown mode " + args[0]);
                System.exit(2);
            }
        }
    }

    static Path database(Path folder) {
        return folder.resolve("bench");
    }

    private static void load(Path folder, int count) throws Exception {
        Files.createDirectories(folder);
        Files.writeString(folder.resolve(".blitdb-initialized"), "benchmark data\n");
        long started = System.nanoTime();
        BlitWriter writer = new BlitWriter();
        try (DocumentStore store = DocumentStore.open(database(folder), StoreOptions.defaults(), MergerOptions.defaults());
             OutputStream ndjson = new BufferedOutputStream(Files.newOutputStream(folder.resolve("bench.ndjson")), 1 << 20)) {
            List<DocumentCommand> batch = new ArrayList<>(1000);
            for (int i = 0; i < count; i++) {
                byte[] json = BenchDocuments.json(i);
                ndjson.write(json);
                ndjson.write('\n');
                batch.add(new DocumentCommand.Put(BenchDocuments.id(i), writer.convert(json, 0, json.length).toByteArray(), null));
                if (batch.size() == 1000) {
                    store.batch(batch).join();
                    batch = new ArrayList<>(1000);
                }
            }
            if (!batch.isEmpty()) {
                store.batch(batch).join();
            }
            System.out.printf(Locale.ROOT, "loaded %d documents in %.1f s; store file %d MB%n", count,
                    (System.nanoTime() - started) / 1e9, store.stats().fileBytes() >> 20);
        }
    }

    // ---- throughput: three ways to build the same 3-field index ------------------------------------------

    private static void throughput(Path folder, int runs) throws Exception {
        try (DocumentStore store = DocumentStore.open(database(folder))) {
            throughput(store, folder, runs);
        }
    }

    private static void throughput(DocumentStore store, Path folder, int runs) throws Exception {
        List<Double> blit = new ArrayList<>();
        List<Double> lucene = new ArrayList<>();
        List<Double> jackson = new ArrayList<>();
        List<Double> cpuRatios = new ArrayList<>();
        Extracted values = Extracted.from(store);
        int count = values.ids.length;
        System.out.println("documents: " + count);
        System.out.println("writer configuration (BlitDB vs the baselines): " + compareConfigs(folder));
        // Warm-up rounds (not counted): whichever mode runs first in a JVM pays for compiling Lucene's indexing chain.
        int warmup = Integer.getInteger("warmupRounds", 1);
        for (int run = -warmup; run < runs; run++) {
            // The order rotates per round, so no mode is always first (JIT warm-up, page cache, a neighbour's load).
            double b = 0;
            double l = 0;
            double j = 0;
            double bCpu = Double.NaN;
            double lCpu = Double.NaN;
            StringBuilder order = new StringBuilder();
            for (int k = 0; k < 3; k++) {
                switch (Math.floorMod(run + k, 3)) {
                    case 0 -> {
                        b = blitdbRebuild(store, folder, IndexingOptions.defaults());
                        bCpu = lastBlitdbCpu;
                        order.append("blitdb ");
                    }
                    case 1 -> {
                        l = rawLucene(folder, values);
                        lCpu = lastBaselineCpu;
                        order.append("lucene-objects ");
                    }
                    default -> {
                        j = jacksonLucene(folder, count);
                        order.append("jackson ");
                    }
                }
            }
            if (run >= 0) {
                blit.add(count / b);
                lucene.add(count / l);
                jackson.add(count / j);
                cpuRatios.add(lCpu / bCpu);
            }
            System.out.printf(Locale.ROOT, "  indexing-thread CPU: blitdb worker %.1f s, lucene-objects main %.1f s; "
                    + "CPU ratio blitdb/lucene-objects %.2f%n", bCpu, lCpu, lCpu / bCpu);
            System.out.printf(Locale.ROOT, (run < 0 ? "warm-up, not counted" : "run " + run) + " (%s): blitdb %.0f docs/s (%.1f s), lucene-objects %.0f docs/s (%.1f s), "
                    + "jackson+lucene %.0f docs/s (%.1f s); blitdb/lucene-objects %.2f, blitdb/jackson %.2f; load %s%n",
                    order.toString().trim(), count / b, b, count / l, l, count / j, j, l / b, j / b, loadAverage());
        }
        double mb = median(blit);
        double ml = median(lucene);
        double mj = median(jackson);
        System.out.printf(Locale.ROOT, "median docs/s: blitdb %.0f, lucene-objects %.0f, jackson+lucene %.0f; "
                + "blitdb/lucene-objects %.2f (target >= 0.8, moonshot >= 1.0), blitdb/jackson %.2f (target >= 1.5)%n",
                mb, ml, mj, mb / ml, mb / mj);
        System.out.printf(Locale.ROOT, "median indexing-thread CPU ratio blitdb/lucene-objects (docs per CPU second): %.2f%n",
                median(cpuRatios));
    }

    /** The 1-, 5- and 15-minute load averages ({@code /proc/loadavg}), recorded with every figure. */
    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    /**
     * The settings that decide indexing cost, of BlitDB's writer (as the worker opens it) and of the baselines'
     * writers; "same" or the differences. The deletion policy and commit-on-close differ by design (BlitDB pins
     * commits for backups and only commits with progress) and cost nothing while indexing.
     */
    private static String compareConfigs(Path folder) throws IOException {
        Path dir = Files.createTempDirectory(folder, "config-");
        try (var luceneDirectory = new MMapDirectory(dir.resolve("lucene"));
             var baseline = new IndexWriter(luceneDirectory, config());
             var blit = dev.blitdb.indexing.lucene.LuceneIndex.open(dir.resolve("blitdb"),
                     IndexDefinitionJson.parse(BenchDocuments.INDEX_JSON.getBytes(StandardCharsets.UTF_8), 0,
                             BenchDocuments.INDEX_JSON.length()).getFirst(), new StandardAnalyzer())) {
            String a = describe(blit.writerConfig());
            String b = describe(baseline.getConfig());
            return a.equals(b) ? "same (" + a + ")" : "DIFFERENT: blitdb " + a + " / baseline " + b;
        } finally {
            deleteTree(dir);
        }
    }

    private static String describe(org.apache.lucene.index.LiveIndexWriterConfig c) {
        return "ramBufferMB=" + c.getRAMBufferSizeMB() + " maxBufferedDocs=" + c.getMaxBufferedDocs()
                + " codec=" + c.getCodec().getName() + " mergePolicy=" + c.getMergePolicy().getClass().getSimpleName()
                + " mergeScheduler=" + c.getMergeScheduler().getClass().getSimpleName()
                + " compoundFile=" + c.getUseCompoundFile() + " indexSort=" + c.getIndexSort()
                + " similarity=" + c.getSimilarity().getClass().getSimpleName()
                + " analyzer=" + c.getAnalyzer().getClass().getSimpleName();
    }

    /**
     * The real thing: an index worker rebuilding Users/Bench from the store (mapped pages, blittable paths,
     * prefetch, batch commits with progress). Returns seconds until the index is not stale.
     */
    static double blitdbRebuild(Path folder, IndexingOptions options, boolean dropCacheFirst) throws Exception {
        try (DocumentStore store = DocumentStore.open(database(folder))) {
            if (dropCacheFirst) {
                dropCache(store);
                System.out.println("  page cache of the store after dropping: " + resident(store));
            }
            return blitdbRebuild(store, folder, options);
        }
    }

    /**
     * As above on an open store (opening one checks every page of its file, which would dominate a round's time;
     * the throughput rounds share one).
     */
    static double blitdbRebuild(DocumentStore store, Path folder, IndexingOptions options) throws Exception {
        Path indexes = Files.createTempDirectory(folder, "idx-");
        try (ThreadSpawner spawner = new ThreadSpawner("bench-spawner");
             IndexManager manager = IndexManager.open("bench", store, indexes, spawner, options)) {
            // High = nice 0, the same as the threads of the other modes: this compares work, not priority.
            byte[] def = BenchDocuments.INDEX_JSON.replace("\"Normal\"", "\"High\"").getBytes(StandardCharsets.UTF_8);
            List<IndexDefinition> defs = IndexDefinitionJson.parse(def, 0, def.length);
            long started = System.nanoTime();
            manager.put(defs);
            IndexWorker worker = manager.require("Users/Bench");
            long asOf;
            try (DocumentReader r = store.beginRead()) {
                asOf = r.lastEtag();
            }
            if (!worker.awaitNonStale(asOf, 3_600_000_000_000L)) {
                throw new IllegalStateException("index did not catch up");
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            IndexStats s = worker.stats();
            // The worker thread is still alive (idle): its CPU time is the rebuild's (plus idle looks, ~nothing).
            lastBlitdbCpu = s.threadId() == null || s.priorityHandoffs() > 0 ? Double.NaN : threadCpuSeconds(s.threadId());
            System.out.printf(Locale.ROOT, "  blitdb: %d entries, %d batches, %d commits, %d prefetch calls, nice %s, "
                    + "worker CPU %.1f s%n", s.entries(), s.batches(), worker.commits(), s.prefetchCalls(),
                    s.effectiveNice(), lastBlitdbCpu);
            return seconds;
        } finally {
            deleteTree(indexes);
        }
    }

    /** CPU seconds of the last BlitDB worker / baseline loop (the indexing thread only; merges run elsewhere in both). */
    private static double lastBlitdbCpu = Double.NaN;
    private static double lastBaselineCpu = Double.NaN;

    /**
     * User + system CPU seconds of one thread of this process ({@code /proc/self/task/<tid>/stat}, clock ticks of
     * 10 ms): a figure the machine's load does not inflate, unlike wall time.
     */
    static double threadCpuSeconds(long tid) {
        try {
            String stat = Files.readString(Path.of("/proc/self/task/" + tid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0; // utime, stime (fields 14, 15)
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** User + system CPU seconds of this whole process, exited threads (Lucene's merge threads) included. */
    static double processCpuSeconds() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime() / 1e9;
    }

    static double currentThreadCpuSeconds() {
        try {
            return threadCpuSeconds(Long.parseLong(Path.of("/proc/thread-self").toRealPath().getFileName().toString()));
        } catch (IOException e) {
            return Double.NaN;
        }
    }

    /** The ceiling: the same fields, already extracted into Java objects, straight into Lucene. */
    private static double rawLucene(Path folder, Extracted values) throws IOException {
        Path dir = Files.createTempDirectory(folder, "lucene-");
        try (var directory = new MMapDirectory(dir);
             var writer = new IndexWriter(directory, config())) {
            long started = System.nanoTime();
            double cpu = currentThreadCpuSeconds();
            for (int i = 0; i < values.ids.length; i++) {
                writer.addDocument(entry(values.ids[i], values.names[i], values.ages[i], values.cities[i]));
            }
            writer.commit();
            lastBaselineCpu = currentThreadCpuSeconds() - cpu;
            return (System.nanoTime() - started) / 1e9;
        } finally {
            deleteTree(dir);
        }
    }

    /** The usual way: parse each JSON document with Jackson into a tree, pick the fields, index. */
    private static double jacksonLucene(Path folder, int count) throws IOException {
        Path dir = Files.createTempDirectory(folder, "jackson-");
        ObjectMapper mapper = new ObjectMapper();
        try (var directory = new MMapDirectory(dir);
             var writer = new IndexWriter(directory, config());
             BufferedReader lines = Files.newBufferedReader(folder.resolve("bench.ndjson"), StandardCharsets.UTF_8)) {
            long started = System.nanoTime();
            String line;
            int i = 0;
            while ((line = lines.readLine()) != null) {
                JsonNode doc = mapper.readTree(line);
                writer.addDocument(entry(BenchDocuments.id(i++), doc.get("Name").asText(), doc.get("Age").asLong(),
                        doc.get("Address").get("City").asText()));
            }
            writer.commit();
            if (i != count) {
                throw new IllegalStateException("ndjson has " + i + " documents, the store " + count);
            }
            return (System.nanoTime() - started) / 1e9;
        } finally {
            deleteTree(dir);
        }
    }

    /** Lucene's defaults with BlitDB's RAM buffer: what {@code LuceneIndex} configures (checked by compareConfigs). */
    static IndexWriterConfig config() {
        return dev.blitdb.indexing.lucene.LuceneIndex.tune(new IndexWriterConfig(new StandardAnalyzer()));
    }

    /** The same Lucene fields BlitDB's entry builder makes for this index. */
    static Document entry(String id, String name, long age, String city) {
        Document d = new Document();
        d.add(new KeywordField("__blit_id", id.toLowerCase(Locale.ROOT), Field.Store.NO));
        d.add(new KeywordField("Name", name, Field.Store.NO));
        d.add(new LongField("Age", age, Field.Store.NO));
        d.add(new KeywordField("City", city, Field.Store.NO));
        // No __blit_exists markers: each of these values leaves doc values, which exists() reads instead.
        return d;
    }

    /** Field values pulled out once, so the raw-Lucene ceiling times Lucene alone. */
    private record Extracted(String[] ids, String[] names, long[] ages, String[] cities) {
        static Extracted from(DocumentStore store) {
            List<String> ids = new ArrayList<>();
            try (DocumentReader reader = store.beginRead()) {
                DocumentIterator it = reader.collection(BenchDocuments.COLLECTION, 0);
                StoredDocument d = new StoredDocument();
                while (it.next(d)) {
                    ids.add(d.id());
                }
            }
            int n = ids.size();
            String[] names = new String[n];
            long[] ages = new long[n];
            String[] cities = new String[n];
            for (int k = 0; k < n; k++) {
                int i = Integer.parseInt(ids.get(k).substring(ids.get(k).indexOf('/') + 1));
                names[k] = BenchDocuments.name(i);
                ages[k] = BenchDocuments.age(i);
                cities[k] = BenchDocuments.city(i);
            }
            return new Extracted(ids.toArray(String[]::new), names, ages, cities);
        }
    }

    // ---- cold cache: prefetch on vs off ------------------------------------------------------------------

    private static void coldCache(Path folder, int runs) throws Exception {
        List<Double> with = new ArrayList<>();
        List<Double> without = new ArrayList<>();
        for (int run = 0; run < runs; run++) {
            double off = blitdbRebuild(folder, IndexingOptions.defaults().withPrefetch(false), true);
            double on = blitdbRebuild(folder, IndexingOptions.defaults(), true);
            without.add(off);
            with.add(on);
            System.out.printf(Locale.ROOT, "run %d cold: prefetch off %.1f s, prefetch on %.1f s, ratio %.2f%n",
                    run, off, on, off / on);
        }
        System.out.printf(Locale.ROOT, "median cold rebuild: prefetch off %.1f s, on %.1f s, speed-up %.2f "
                + "(target >= 1.3)%n", median(without), median(with), median(without) / median(with));
    }

    /**
     * Empties the page cache of the store's file: unmaps every document page from this process
     * ({@code madvise(DONTNEED)} over the span of the records — the mapping is shared, so no data is lost) and
     * then drops the file's clean pages ({@code posix_fadvise(DONTNEED)}). Only with no write in flight.
     */
    static void dropCache(DocumentStore store) throws IOException {
        NativeIo nativeIo = NativeIo.get();
        if (!nativeIo.available()) {
            throw new IllegalStateException("native access needed: --enable-native-access=ALL-UNNAMED");
        }
        long low = Long.MAX_VALUE;
        long high = 0;
        try (DocumentReader reader = store.beginRead()) {
            DocumentIterator it = reader.byEtag(0);
            StoredDocument d = new StoredDocument();
            while (it.next(d)) {
                MemorySegment record = d.record();
                low = Math.min(low, record.address());
                high = Math.max(high, record.address() + record.byteSize());
            }
            long start = low & -4096L;
            long end = (high + 4095) & -4096L;
            nativeIo.madvise(start, end - start, NativeIo.MADV_DONTNEED);
        }
        int fd = nativeIo.openReadWrite(store.engine().file()).orElseThrow();
        try {
            nativeIo.posixFadvise(fd, 0, 0, NativeIo.POSIX_FADV_DONTNEED);
        } finally {
            nativeIo.close(fd);
        }
    }

    /** fincore's line for the store's file (util-linux), to check that the cache was really dropped. */
    static String resident(DocumentStore store) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("fincore", "--noheadings", store.engine().file().toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        p.waitFor();
        return out;
    }

    static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return sorted.length % 2 == 1 ? sorted[sorted.length / 2]
                : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}

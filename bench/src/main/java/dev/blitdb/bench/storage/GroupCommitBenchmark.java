package dev.blitdb.bench.storage;

import dev.blitdb.blittable.BlitWriter;
import dev.blitdb.storage.documents.DocumentStore;
import dev.blitdb.storage.engine.Store;
import dev.blitdb.storage.engine.StoreOptions;
import dev.blitdb.storage.engine.WriteTxn;
import dev.blitdb.storage.merger.MergerOptions;
import dev.blitdb.storage.merger.TransactionMerger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * 64 threads each doing single-document durable writes (about 1 KB): {@code each} = one write transaction and one
 * durable commit per write (threads queue on the write lock); {@code merged} = the same puts through the
 * transaction merger (group commit); {@code documents} = full document-store puts (blittable with @metadata
 * stamped, etag, collection trees) through the merger. Score = writes per second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 1, time = 3)
@Measurement(iterations = 3, time = 5)
@Threads(64)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xmx2g"})
public class GroupCommitBenchmark {

    @Param({"each", "merged", "documents"})
    public String mode;

    private Path dir;
    private Store store;
    private TransactionMerger merger;
    private DocumentStore documents;
    private final AtomicLong counter = new AtomicLong();
    private byte[] value;
    private byte[] blittable;

    @Setup(Level.Trial)
    public void setup() throws Exception {
        dir = Files.createTempDirectory(Path.of(System.getProperty("blitdb.bench.dir", "/tmp")), "group-");
        StringBuilder json = new StringBuilder("{\"@metadata\":{\"@collection\":\"Users\"},\"Name\":\"Ann\",\"Bio\":\"");
        json.append("x".repeat(900)).append("\",\"Age\":34}");
        byte[] bytes = json.toString().getBytes(StandardCharsets.UTF_8);
        blittable = new BlitWriter().convert(bytes, 0, bytes.length).toByteArray();
        value = new byte[1024];
        if (mode.equals("documents")) {
            documents = DocumentStore.open(dir, StoreOptions.defaults(), MergerOptions.defaults());
        } else {
            store = Store.open(dir, StoreOptions.defaults());
            merger = new TransactionMerger(store);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        if (documents != null) {
            System.out.println("\nmerger: " + documents.merger().stats());
            documents.close();
        } else {
            System.out.println("\nmerger: " + merger.stats());
            merger.close();
            store.close();
        }
        KvPeer.deleteTree(dir);
    }

    @Benchmark
    public Object write() {
        long n = counter.incrementAndGet();
        byte[] key = ("users/" + n).getBytes(StandardCharsets.US_ASCII);
        switch (mode) {
            case "each" -> {
                try (WriteTxn w = store.beginWrite()) {
                    w.put("docs", key, value);
                    return w.commit();
                }
            }
            case "merged" -> {
                return merger.submit(txn -> {
                    txn.put("docs", key, value);
                    return Boolean.TRUE;
                }, value.length).join();
            }
            default -> {
                return documents.put("users/" + n, blittable, null).join();
            }
        }
    }
}

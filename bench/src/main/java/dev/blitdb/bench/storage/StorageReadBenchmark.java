package dev.blitdb.bench.storage;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Random point reads and a sequential scan over 1M entries (lmdbjava benchmark workloads): 4-byte int or 16-byte
 * string keys, 100-byte or 2 KiB values. Each invocation reads all 1M keys in one read transaction, so the score
 * is per key.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xmx2g",
        "--add-opens", "java.base/java.nio=ALL-UNNAMED", "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED"})
public class StorageReadBenchmark {

    static final int ENTRIES = 1_000_000;

    @Param({"blitdb", "lmdb"})
    public String engine;

    @Param({"4", "16"})
    public int keySize;

    @Param({"100", "2048"})
    public int valueSize;

    private Path dir;
    private KvPeer kv;
    private int[] order;

    @Setup(Level.Trial)
    public void setup() throws Exception {
        dir = Files.createTempDirectory(Path.of(System.getProperty("blitdb.bench.dir", "/tmp")), "kv-read-");
        kv = KvPeer.open(engine, dir);
        kv.load(ENTRIES, keySize, KvPeer.value(valueSize));
        order = KvPeer.shuffled(ENTRIES, 42);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        kv.close();
        KvPeer.deleteTree(dir);
    }

    @Benchmark
    @OperationsPerInvocation(ENTRIES)
    public long randomGet() {
        return kv.readAll(order, keySize);
    }

    @Benchmark
    @OperationsPerInvocation(ENTRIES)
    public long scan() {
        return kv.scan();
    }
}

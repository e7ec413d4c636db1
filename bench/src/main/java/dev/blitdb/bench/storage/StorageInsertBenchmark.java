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
 * Inserts in random key order into an empty store with a durable commit every 1,000 keys. One invocation inserts
 * {@value #KEYS} keys (smaller than the read benchmarks' 1M to keep a run short; both engines get the same).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xmx2g",
        "--add-opens", "java.base/java.nio=ALL-UNNAMED", "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED"})
public class StorageInsertBenchmark {

    static final int KEYS = 200_000;

    @Param({"blitdb", "lmdb"})
    public String engine;

    @Param({"4", "16"})
    public int keySize;

    @Param({"100", "2048"})
    public int valueSize;

    private Path dir;
    private KvPeer kv;
    private int[] order;
    private byte[] value;

    @Setup(Level.Invocation)
    public void setup() throws Exception {
        dir = Files.createTempDirectory(Path.of(System.getProperty("blitdb.bench.dir", "/tmp")), "kv-insert-");
        kv = KvPeer.open(engine, dir);
        order = KvPeer.shuffled(KEYS, 7);
        value = KvPeer.value(valueSize);
    }

    @TearDown(Level.Invocation)
    public void tearDown() throws Exception {
        kv.close();
        KvPeer.deleteTree(dir);
    }

    @Benchmark
    @OperationsPerInvocation(KEYS)
    public void insertCommitEvery1000() throws Exception {
        kv.insertDurable(order, keySize, value, 1000);
    }
}

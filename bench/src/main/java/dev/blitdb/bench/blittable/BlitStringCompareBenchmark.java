package dev.blitdb.bench.blittable;

import dev.blitdb.blittable.BlitArray;
import dev.blitdb.blittable.BlitDocument;
import dev.blitdb.blittable.BlitString;
import dev.blitdb.blittable.BlitValue;
import dev.blitdb.blittable.BlitWriter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * {@link BlitString#compareTo} of two ~1 KB strings that differ near the end: both plain, one compressed, both
 * compressed. Run with {@code -prof gc}: 0 B/op in every case (a compressed operand decodes into a per-thread
 * scratch; before, into two new arrays per call).
 *
 * <pre>
 * java -jar bench/target/benchmarks.jar BlitStringCompareBenchmark -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class BlitStringCompareBenchmark {

    @Param({"plain", "one-compressed", "both-compressed"})
    public String operands;

    private final BlitString a = new BlitString();
    private final BlitString b = new BlitString();

    @Setup
    public void setUp() {
        // Random letters do not compress; a repeated phrase does (FORMAT.md §8: > 128 bytes and 8 bytes saved).
        String random = letters(1000, 1);
        String repeated = "caf\u00e9 au lait, ".repeat(62);
        String left = operands.equals("plain") ? random : repeated;
        String right = operands.equals("both-compressed") ? repeated : random;
        String json = "[\"" + left + "x\",\"" + right + "y\"]";
        byte[] utf8 = json.getBytes(StandardCharsets.UTF_8);
        BlitDocument doc = new BlitDocument().wrap(new BlitWriter().convert(utf8, 0, utf8.length).toByteArray());
        BlitArray array = doc.root(new BlitValue()).asArray(new BlitArray());
        array.getString(0, a);
        array.getString(1, b);
        boolean expectA = !operands.equals("plain");
        boolean expectB = operands.equals("both-compressed");
        if (a.isCompressed() != expectA || b.isCompressed() != expectB) {
            throw new IllegalStateException("operands not stored as " + operands);
        }
    }

    private static String letters(int n, long seed) {
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < n; i++) {
            s.append((char) ('a' + r.nextInt(26)));
        }
        return s.toString();
    }

    @Benchmark
    public int compare() {
        return a.compareTo(b);
    }
}

package dev.blitdb.bench.blittable;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import dev.blitdb.blittable.BlitWriter;
import dev.blitdb.blittable.NativeSpillSpace;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The conversion a PUT does (issue 10, FORMAT.md §14): JSON in an off-heap segment (a spooled body is mapped) into
 * a blittable document, with a spill space as the server gives one ({@code spill}) and without ({@code heap}, the
 * path before: the document built in a heap array). Run with {@code -prof gc}: B/op of {@code spill} must not
 * grow with the document; {@code heap} shows the heap array it replaces. Documents: objects with short and
 * escaped strings and numbers, about {@code bytes} of JSON.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class PutConvertMemoryBenchmark {

    @Param({"1024", "1048576", "8388608"})
    public int bytes;

    private Arena arena;
    private MemorySegment json;
    private final BlitWriter writer = new BlitWriter();
    private final NativeSpillSpace space = new NativeSpillSpace();

    @Setup(Level.Trial)
    public void setUp() {
        StringBuilder sb = new StringBuilder(bytes + 256).append("{\"Items\":[");
        SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; sb.length() < bytes - 80; i++) {
            sb.append(i == 0 ? "" : ",").append("{\"N\":").append(i).append(",\"Q\":\"say \\\"hi\\\"\",\"T\":\"");
            for (int k = 0; k < 40 && sb.length() < bytes - 40; k++) {
                sb.append((char) ('a' + random.nextInt(26)));
            }
            sb.append("\"}");
        }
        byte[] text = sb.append("]}").toString().getBytes(StandardCharsets.UTF_8);
        arena = Arena.ofShared();
        json = arena.allocate(text.length);
        MemorySegment.copy(text, 0, json, ValueLayout.JAVA_BYTE, 0, text.length);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        space.close();
        arena.close();
    }

    @Benchmark
    public int spill() {
        return writer.convert(json, space).length();
    }

    @Benchmark
    public int heap() {
        int n = writer.convert(json, null).length();
        writer.trim(); // what the server did after each large PUT: the grown array is given up
        return n;
    }
}

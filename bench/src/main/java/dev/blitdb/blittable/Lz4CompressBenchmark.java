package dev.blitdb.blittable;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * LZ4 block compression of the strings a document conversion tries to compress (UTF-8 length &gt; 128,
 * FORMAT.md §8): BlitDB's {@link Lz4Block} (the converter's compressor, the table kept across calls) side by side
 * with lz4-java's fast compressors (pure-Java safe, {@code Unsafe}-based, JNI; each call clears its own table).
 * One operation compresses every string of the set once; {@code bytes} is the input size of the set.
 *
 * <p>Sets as {@link Lz4DecodeBenchmark}'s ({@code bio}, {@code twitter}, {@code repetitive}) plus {@code random}:
 * 900-byte strings of random letters, which the compressor must give up on quickly.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class Lz4CompressBenchmark {
    @Param({"bio", "twitter", "repetitive", "random"})
    public String set;

    @Param("../shared/data")
    public String dataDir;

    private byte[][] strings;
    private byte[] dst;
    public long bytes;
    public long compressedBytes;
    private final Lz4Block lz4 = new Lz4Block();
    private final LZ4Compressor safe = LZ4Factory.safeInstance().fastCompressor();
    private final LZ4Compressor unsafe = LZ4Factory.unsafeInstance().fastCompressor();
    private final LZ4Compressor jni = LZ4Factory.nativeInstance().fastCompressor();

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        List<byte[]> list = switch (set) {
            case "bio" -> Lz4DecodeBenchmark.bios(200);
            case "twitter" -> Lz4DecodeBenchmark.twitterStrings(Path.of(dataDir, "json-corpus", "twitter.json"));
            case "repetitive" -> List.of("x".repeat(900).getBytes(StandardCharsets.UTF_8));
            case "random" -> random(200);
            default -> throw new IllegalArgumentException(set);
        };
        strings = list.toArray(byte[][]::new);
        int max = 0;
        for (byte[] s : strings) {
            max = Math.max(max, s.length);
            bytes += s.length;
        }
        dst = new byte[Math.max(max + max / 255 + 16, jni.maxCompressedLength(max))];
        int kept = 0;
        for (byte[] s : strings) {
            int n = lz4.compress(s, 0, s.length, dst, 9);
            if (n > 0) {
                kept++;
                compressedBytes += n;
                byte[] back = new byte[s.length];
                LZ4Factory.safeInstance().safeDecompressor().decompress(dst, 0, n, back, 0, s.length);
                if (!java.util.Arrays.equals(back, s)) {
                    throw new IllegalStateException("blitdb's block does not decode to its input");
                }
            }
        }
        System.out.println("\n" + set + ": " + strings.length + " strings, " + bytes + " bytes per op; blitdb "
                + "compressed " + kept + " of them, " + compressedBytes + " bytes out");
    }

    int strings() {
        return strings.length;
    }

    private static List<byte[]> random(int n) {
        SplittableRandom random = new SplittableRandom(7);
        byte[][] out = new byte[n][900];
        for (byte[] s : out) {
            for (int i = 0; i < s.length; i++) {
                s[i] = (byte) ('a' + random.nextInt(26));
            }
        }
        return List.of(out);
    }

    @Benchmark
    public int blitdb() {
        int sum = 0;
        for (byte[] s : strings) {
            sum += lz4.compress(s, 0, s.length, dst, 9);
        }
        return sum;
    }

    @Benchmark
    public int lz4javaSafe() {
        int sum = 0;
        for (byte[] s : strings) {
            sum += safe.compress(s, 0, s.length, dst, 0, dst.length);
        }
        return sum;
    }

    @Benchmark
    public int lz4javaUnsafe() {
        int sum = 0;
        for (byte[] s : strings) {
            sum += unsafe.compress(s, 0, s.length, dst, 0, dst.length);
        }
        return sum;
    }

    @Benchmark
    public int lz4javaJni() {
        int sum = 0;
        for (byte[] s : strings) {
            sum += jni.compress(s, 0, s.length, dst, 0, dst.length);
        }
        return sum;
    }
}

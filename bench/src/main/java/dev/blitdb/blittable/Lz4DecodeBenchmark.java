package dev.blitdb.blittable;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;
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
 * LZ4 block decoding of the strings blittable stores compressed: BlitDB's {@link Lz4Decoder} (reading the blocks
 * from native memory, as from a mapped store page) side by side with lz4-java's bounds-checked decompressors
 * (pure-Java safe, {@code Unsafe}-based, JNI) on the same blocks, and with the path readers took before
 * ({@code copy}: the block copied to a heap array, then lz4-java's safe decompressor). One operation decodes every
 * string of the set once; {@code bytes} is the decoded size of the set (divide for MB/s).
 *
 * <p>Sets: {@code bio} — the ~800-byte {@code Bio} strings of bench/pg's documents (gen-docs.awk's word list);
 * {@code twitter} — every string of twitter.json that blittable compresses (UTF-8 length &gt; 128, saves 8 bytes);
 * {@code repetitive} — the 900-letter {@code "xxx…"} of bench/run-security.sh (one long offset-1 match).
 * In package {@code dev.blitdb.blittable} because the decoder and compressor are package-private.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class Lz4DecodeBenchmark {
    @Param({"bio", "twitter", "repetitive"})
    public String set;

    @Param("../shared/data")
    public String dataDir;

    private static final String[] WORDS = ("database document index query storage page commit merger lucene field "
            + "value record server client network cluster replica snapshot backup engine memory mapped segment "
            + "buffer thread worker priority stale fresh column row table schema key range order limit offset "
            + "search token analyser keyword number string boolean array object").split(" ");

    private Arena arena;
    private MemorySegment blocks;
    private byte[] heapBlocks;
    private MemorySegment heapSegment;
    private long[] at;
    private int[] compressed;
    private int[] raw;
    private byte[] dst;
    private byte[] copy;
    public long bytes;
    private final LZ4SafeDecompressor safe = LZ4Factory.safeInstance().safeDecompressor();
    private final LZ4SafeDecompressor unsafe = LZ4Factory.unsafeInstance().safeDecompressor();
    private final LZ4SafeDecompressor jni = LZ4Factory.nativeInstance().safeDecompressor();

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        List<byte[]> strings = switch (set) {
            case "bio" -> bios(200);
            case "twitter" -> twitterStrings(Path.of(dataDir, "json-corpus", "twitter.json"));
            case "repetitive" -> List.of("x".repeat(900).getBytes(StandardCharsets.UTF_8));
            default -> throw new IllegalArgumentException(set);
        };
        Lz4Block lz4 = new Lz4Block();
        List<byte[]> kept = new ArrayList<>();
        List<byte[]> rawKept = new ArrayList<>();
        int maxRaw = 0;
        for (byte[] s : strings) {
            byte[] out = new byte[s.length + s.length / 255 + 16];
            int n = lz4.compress(s, 0, s.length, out, 8);
            if (n > 0) {
                kept.add(java.util.Arrays.copyOf(out, n));
                rawKept.add(s);
                maxRaw = Math.max(maxRaw, s.length);
            }
        }
        if (kept.isEmpty()) {
            throw new IllegalStateException("no string of " + set + " compresses");
        }
        int total = kept.stream().mapToInt(b -> b.length).sum();
        arena = Arena.ofShared(); // as the store maps its file (storage Mapping)
        blocks = arena.allocate(total);
        heapBlocks = new byte[total];
        at = new long[kept.size()];
        compressed = new int[kept.size()];
        raw = new int[kept.size()];
        long p = 0;
        for (int i = 0; i < kept.size(); i++) {
            byte[] b = kept.get(i);
            MemorySegment.copy(b, 0, blocks, ValueLayout.JAVA_BYTE, p, b.length);
            System.arraycopy(b, 0, heapBlocks, (int) p, b.length);
            at[i] = p;
            compressed[i] = b.length;
            raw[i] = rawKept.get(i).length;
            bytes += raw[i];
            p += b.length;
        }
        heapSegment = MemorySegment.ofArray(heapBlocks);
        dst = new byte[maxRaw + 64];
        copy = new byte[total];
        // Every decoder must give back the original strings.
        for (int i = 0; i < kept.size(); i++) {
            Lz4Decoder.decode(blocks, at[i], compressed[i], raw[i], dst, 0, dst.length);
            check(rawKept.get(i), dst, "blitdb");
            jni.decompress(heapBlocks, (int) at[i], compressed[i], dst, 0, raw[i]);
            check(rawKept.get(i), dst, "jni");
        }
        System.out.println("\n" + set + ": " + kept.size() + " strings, " + bytes + " bytes decoded per op, "
                + total + " compressed");
    }

    int strings() {
        return at.length;
    }

    private static void check(byte[] expected, byte[] got, String who) {
        if (!java.util.Arrays.equals(expected, 0, expected.length, got, 0, expected.length)) {
            throw new IllegalStateException(who + " decodes wrongly");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        arena.close();
    }

    /** BlitDB's decoder from native memory, with the rest of the output array free for wide copies. */
    @Benchmark
    public int blitdb() {
        int sum = 0;
        for (int i = 0; i < at.length; i++) {
            Lz4Decoder.decode(blocks, at[i], compressed[i], raw[i], dst, 0, dst.length);
            sum += dst[raw[i] - 1];
        }
        return sum;
    }

    /** The same from a heap segment (the document read from a heap array instead of a mapped page). */
    @Benchmark
    public int blitdbHeap() {
        int sum = 0;
        for (int i = 0; i < at.length; i++) {
            Lz4Decoder.decode(heapSegment, at[i], compressed[i], raw[i], dst, 0, dst.length);
            sum += dst[raw[i] - 1];
        }
        return sum;
    }

    /** The same, writing nothing past each string's end (as into a caller's array). */
    @Benchmark
    public int blitdbExact() {
        int sum = 0;
        for (int i = 0; i < at.length; i++) {
            Lz4Decoder.decode(blocks, at[i], compressed[i], raw[i], dst, 0, raw[i]);
            sum += dst[raw[i] - 1];
        }
        return sum;
    }

    /** What readers did before: the block copied from the segment to a heap array, then lz4-java's safe decoder. */
    @Benchmark
    public int lz4javaSafeViaCopy() {
        int sum = 0;
        for (int i = 0; i < at.length; i++) {
            MemorySegment.copy(blocks, ValueLayout.JAVA_BYTE, at[i], copy, 0, compressed[i]);
            sum += safe.decompress(copy, 0, compressed[i], dst, 0, raw[i]);
        }
        return sum;
    }

    @Benchmark
    public int lz4javaSafe() {
        int sum = 0;
        for (int i = 0; i < at.length; i++) {
            sum += safe.decompress(heapBlocks, (int) at[i], compressed[i], dst, 0, raw[i]);
        }
        return sum;
    }

    @Benchmark
    public int lz4javaUnsafe() {
        int sum = 0;
        for (int i = 0; i < at.length; i++) {
            sum += unsafe.decompress(heapBlocks, (int) at[i], compressed[i], dst, 0, raw[i]);
        }
        return sum;
    }

    @Benchmark
    public int lz4javaJni() {
        int sum = 0;
        for (int i = 0; i < at.length; i++) {
            sum += jni.decompress(heapBlocks, (int) at[i], compressed[i], dst, 0, raw[i]);
        }
        return sum;
    }

    /** gen-docs.awk's Bio: random words of its list until at least 800 characters. */
    static List<byte[]> bios(int n) {
        SplittableRandom random = new SplittableRandom(42);
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            StringBuilder bio = new StringBuilder();
            while (bio.length() < 800) {
                bio.append(WORDS[random.nextInt(WORDS.length)]).append(' ');
            }
            out.add(bio.toString().getBytes(StandardCharsets.UTF_8));
        }
        return out;
    }

    static List<byte[]> twitterStrings(Path file) throws IOException {
        List<byte[]> out = new ArrayList<>();
        try (JsonParser p = new JsonFactory().createParser(Files.readAllBytes(file))) {
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                if (t == JsonToken.VALUE_STRING) {
                    byte[] utf8 = p.getText().getBytes(StandardCharsets.UTF_8);
                    if (utf8.length > 128) {
                        out.add(utf8);
                    }
                }
            }
        }
        return out;
    }
}

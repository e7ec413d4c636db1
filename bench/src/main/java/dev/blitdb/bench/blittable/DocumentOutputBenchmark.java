package dev.blitdb.bench.blittable;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import dev.blitdb.blittable.BlitDocument;
import dev.blitdb.blittable.BlitJsonWriter;
import dev.blitdb.blittable.BlitWriter;
import dev.blitdb.blittable.JsonSink;
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
 * The JSON output of a GET's document, from native memory as from a mapped store page ({@code Arena.ofShared}, as
 * the store maps its file), into a sink that drops its chunks: {@code pg} — one of bench/pg's ~1 KB documents
 * (gen-docs.awk's shape: Name, City, Age, Email, Active, two Tags and an ~800-byte Bio, which blittable stores
 * LZ4-compressed) with its {@code @metadata}; {@code repetitive} — bench/run-security.sh's document (a 900-letter
 * {@code "xxx…"} Name). Run with {@code -prof gc}: 0 B/op.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class DocumentOutputBenchmark {
    @Param({"pg", "repetitive"})
    public String doc;

    private static final String[] WORDS = ("database document index query storage page commit merger lucene field "
            + "value record server client network cluster replica snapshot backup engine memory mapped segment "
            + "buffer thread worker priority stale fresh column row table schema key range order limit offset "
            + "search token analyser keyword number string boolean array object").split(" ");

    private Arena arena;
    private final BlitDocument document = new BlitDocument();
    private final BlitJsonWriter json = new BlitJsonWriter(8 * 1024);
    private long written;
    private final JsonSink sink = (bytes, offset, length) -> written += length;

    @Setup(Level.Trial)
    public void setUp() {
        byte[] body = (doc.equals("pg") ? pgDocument(7) : repetitiveDocument()).getBytes(StandardCharsets.UTF_8);
        byte[] blit = new BlitWriter().convert(body, 0, body.length).toByteArray();
        arena = Arena.ofShared();
        MemorySegment page = arena.allocate(blit.length + 64L);
        MemorySegment.copy(blit, 0, page, ValueLayout.JAVA_BYTE, 32, blit.length);
        document.wrap(page, 32);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        arena.close();
    }

    @Benchmark
    public long writeJson() throws IOException {
        json.write(document, true, sink);
        return written;
    }

    /** One document of gen-docs.awk's shape (its word list, a seeded random instead of awk's). */
    static String pgDocument(int i) {
        SplittableRandom random = new SplittableRandom(42 + i);
        StringBuilder bio = new StringBuilder();
        while (bio.length() < 800) {
            bio.append(WORDS[random.nextInt(WORDS.length)]).append(' ');
        }
        return "{\"Name\":\"name-" + i + "\",\"City\":\"city-" + random.nextInt(50) + "\",\"Age\":"
                + (18 + random.nextInt(62)) + ",\"Email\":\"user" + i + "@example.com\",\"Active\":"
                + random.nextBoolean() + ",\"Tags\":[\"" + WORDS[random.nextInt(WORDS.length)] + "\",\""
                + WORDS[random.nextInt(WORDS.length)] + "\"],\"Bio\":\"" + bio + "\",\"@metadata\":{"
                + "\"@collection\":\"Docs\",\"@id\":\"docs/" + i + "\",\"@change-vector\":\"A:" + (1000 + i)
                + "-abcdefghijklmnopqrstuv\",\"@last-modified\":\"2026-12-02T09:00:00.0000000Z\"}}";
    }

    static String repetitiveDocument() {
        return "{\"Name\":\"" + "x".repeat(900) + "\",\"Age\":42,\"@metadata\":{\"@collection\":\"Docs\"}}";
    }
}

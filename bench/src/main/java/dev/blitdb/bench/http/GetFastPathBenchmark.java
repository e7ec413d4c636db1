package dev.blitdb.bench.http;

import dev.blitdb.blittable.BlitWriter;
import dev.blitdb.server.databases.DatabaseLease;
import dev.blitdb.server.databases.DatabaseName;
import dev.blitdb.server.databases.DatabaseRegistry;
import dev.blitdb.server.http.documents.ResidentDocumentGet;
import dev.blitdb.storage.engine.StoreOptions;
import dev.blitdb.storage.merger.MergerOptions;
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
import org.openjdk.jmh.annotations.Warmup;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What the server's IO thread runs for a GET by id on the fast path, without Undertow's request parsing:
 * {@link ResidentDocumentGet#render} — database lease, read transaction, id lookup, residency check, JSON into the
 * direct response buffer (the server's comes from a per-thread free list of them), ETag and Content-Length
 * values. Run with {@code -prof gc}: {@code
 * gc.alloc.rate.norm} must be ~0 B/op ({@code ids} &gt; 1 alternates documents, so the ETag String is made per
 * call — the one allocation left, which Undertow's String-valued header map needs).
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -jar bench/target/benchmarks.jar GetFastPathBenchmark -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class GetFastPathBenchmark {

    /** How many documents the GETs cycle through (1 = the same hot document every time). */
    @Param({"1", "2"})
    public int ids;

    private Path dir;
    private DatabaseRegistry registry;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(16 * 1024);
    private String[] names;
    private int next;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        dir = Files.createTempDirectory("blitdb-get-fast-path");
        registry = DatabaseRegistry.create(dir.resolve("data"), StoreOptions.defaults(), MergerOptions.defaults(),
                List.of());
        registry.startLoading();
        registry.awaitLoaded();
        registry.create(new DatabaseName("bench"));
        byte[] body = ("{\"Name\":\"Ada Lovelace\",\"Age\":36,\"Tags\":[\"math\",\"engines\"],\"Bio\":\""
                + "x".repeat(800) + "\"}").getBytes(StandardCharsets.UTF_8);
        names = new String[ids];
        try (DatabaseLease lease = registry.acquire("bench")) {
            for (int i = 0; i < ids; i++) {
                names[i] = "people/" + i;
                lease.store().put(names[i], new BlitWriter().convert(body, 0, body.length).toByteArray(), null).get();
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        registry.close();
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Benchmark
    public int get() {
        String id = names[next];
        next = next + 1 == names.length ? 0 : next + 1;
        ResidentDocumentGet get = ResidentDocumentGet.forThisThread();
        if (!get.render(registry, "bench", id, null, buffer)) {
            throw new IllegalStateException(id + " was not served by the fast path");
        }
        return buffer.remaining() + get.etag().length() + get.contentLength().length();
    }
}

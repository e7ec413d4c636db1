package dev.blitdb.bench.blittable;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import dev.blitdb.blittable.BlitDocument;
import dev.blitdb.blittable.BlitJsonWriter;
import dev.blitdb.blittable.BlitWriter;
import dev.blitdb.blittable.JsonSink;
import dev.blitdb.storage.documents.DocumentReader;
import dev.blitdb.storage.documents.DocumentStore;
import dev.blitdb.storage.documents.StoredDocument;
import dev.blitdb.storage.engine.StoreOptions;
import dev.blitdb.storage.merger.MergerOptions;
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
 * The read path of a GET without HTTP: a read transaction on a real (memory-mapped) document store, the id
 * lookup, and the document written as JSON into a sink that counts and drops its 8 KiB chunks. Run with
 * {@code -prof gc}: the allocation per operation (gc.alloc.rate.norm, B/op) must not depend on the document's size
 * — a 1 MB document costs the same heap as a 1 KB one, because JSON is rendered from the mapped bytes in place.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class GetMemoryBenchmark {

    /** Approximate JSON size of the stored document. */
    @Param({"1024", "1048576"})
    public int size;

    private Path dir;
    private DocumentStore store;
    private final StoredDocument stored = new StoredDocument();
    private final BlitDocument document = new BlitDocument();
    private final BlitJsonWriter json = new BlitJsonWriter(8 * 1024);
    private long written;
    private final JsonSink sink = (bytes, offset, length) -> written += length;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        dir = Files.createTempDirectory("blitdb-get-memory");
        store = DocumentStore.open(dir, StoreOptions.defaults(), MergerOptions.defaults());
        byte[] body = document(size).getBytes(StandardCharsets.UTF_8);
        store.put("docs/1", new BlitWriter().convert(body, 0, body.length).toByteArray(), null).get();
    }

    /** Objects with a number, a short escaped string and a 100-letter string, up to {@code bytes} of JSON. */
    static String document(int bytes) {
        StringBuilder out = new StringBuilder("{\"Items\":[");
        SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; out.length() < bytes - 200; i++) {
            out.append(i == 0 ? "" : ",").append("{\"N\":").append(i).append(",\"Q\":\"a \\\"b\\\"\",\"T\":\"");
            for (int k = 0; k < 100; k++) {
                out.append((char) ('a' + random.nextInt(26)));
            }
            out.append("\"}");
        }
        return out.append("]}").toString();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        store.close();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Benchmark
    public long getAsJson() throws IOException {
        try (DocumentReader reader = store.beginRead()) {
            if (!reader.get("docs/1", stored)) {
                throw new IllegalStateException("docs/1 is missing");
            }
            json.write(stored.document(document), true, sink);
        }
        return written;
    }
}

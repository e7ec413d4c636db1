package dev.blitdb.bench.blittable;

import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.blitdb.blittable.BlitDocument;
import dev.blitdb.blittable.BlitJsonWriter;
import dev.blitdb.blittable.BlitWriter;
import dev.blitdb.blittable.JsonSink;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Writing a whole document as UTF-8 JSON into an OutputStream that counts and discards bytes: blittable (from its
 * bytes, client order) vs Jackson writing the equivalent {@code JsonNode} tree with {@code ObjectMapper.writeValue}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class OutputBenchmark {
    @Param({"twitter.json", "citm_catalog.json", "canada.json"})
    public String file;

    @Param(Corpus.DEFAULT_DIR)
    public String dataDir;

    private final BlitDocument doc = new BlitDocument();
    private final BlitJsonWriter json = new BlitJsonWriter();
    private final ObjectMapper mapper = new ObjectMapper();
    private JsonNode tree;
    private final Counting out = new Counting();
    private JsonSink sink;

    /** Discards bytes, keeps a count (so the work cannot be optimised away). */
    static final class Counting extends OutputStream {
        long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            count += len;
        }
    }

    @Setup
    public void setUp() throws IOException {
        byte[] bytes = Corpus.read(dataDir, file);
        doc.wrap(new BlitWriter().convert(bytes, 0, bytes.length).toByteArray());
        tree = mapper.readTree(bytes);
        sink = JsonSink.of(out);
    }

    @Benchmark
    public long blitToJson() throws IOException {
        json.write(doc, true, sink);
        return out.count;
    }

    @Benchmark
    public long jacksonTreeToJson() throws IOException {
        mapper.writeValue(out, tree);
        return out.count;
    }
}

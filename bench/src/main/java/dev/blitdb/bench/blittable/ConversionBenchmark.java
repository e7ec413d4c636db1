package dev.blitdb.bench.blittable;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.blitdb.blittable.BlitWriter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * JSON → blittable conversion vs a Jackson streaming loop that visits every token and reads every value (names,
 * string characters, numbers as long/double). Throughput in documents per second; MB/s = ops/s × file size.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ConversionBenchmark {
    @Param({"twitter.json", "citm_catalog.json", "canada.json"})
    public String file;

    @Param(Corpus.DEFAULT_DIR)
    public String dataDir;

    private byte[] json;
    private final BlitWriter writer = new BlitWriter();
    private final JsonFactory factory = new JsonFactory();

    @Setup
    public void setUp() {
        json = Corpus.read(dataDir, file);
    }

    @Benchmark
    public int blitConvert() {
        return writer.convert(json, 0, json.length).length();
    }

    @Benchmark
    public long jacksonParse() throws IOException {
        long sum = 0;
        try (JsonParser p = factory.createParser(json, 0, json.length)) {
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                switch (t) {
                    case FIELD_NAME -> sum += p.currentName().length();
                    case VALUE_STRING -> sum += p.getTextCharacters()[p.getTextOffset()] + p.getTextLength();
                    case VALUE_NUMBER_INT -> sum += p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                            ? p.getBigIntegerValue().hashCode() : p.getLongValue();
                    case VALUE_NUMBER_FLOAT -> sum += (long) p.getDoubleValue();
                    case VALUE_TRUE -> sum += 1;
                    default -> sum += 2;
                }
            }
        }
        return sum;
    }
}

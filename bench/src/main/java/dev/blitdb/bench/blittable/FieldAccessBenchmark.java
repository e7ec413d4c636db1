package dev.blitdb.bench.blittable;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.blitdb.blittable.BlitDocument;
import dev.blitdb.blittable.BlitKey;
import dev.blitdb.blittable.BlitObject;
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
 * Reading {@code user.screen_name} (compared to a key) and {@code retweet_count} (as long) from one stored tweet
 * (the first status of twitter.json as its own document). Blittable reads the stored bytes in place (wrap + two
 * lookups per operation); the peers parse the JSON text: a full tree ({@code ObjectMapper.readTree}) or a streaming
 * scan that skips unrelated subtrees and stops once both fields are read.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class FieldAccessBenchmark {
    @Param(Corpus.DEFAULT_DIR)
    public String dataDir;

    private static final BlitKey USER = BlitKey.of("user");
    private static final BlitKey SCREEN_NAME = BlitKey.of("screen_name");
    private static final BlitKey RETWEET_COUNT = BlitKey.of("retweet_count");

    private byte[] tweetJson;
    private MemorySegment stored;
    private BlitKey expectedName;
    private String expectedNameString;
    private final BlitDocument doc = new BlitDocument();
    private final BlitObject root = new BlitObject();
    private final BlitObject user = new BlitObject();
    private final ObjectMapper mapper = new ObjectMapper();
    private final JsonFactory factory = new JsonFactory();

    @Setup
    public void setUp() throws IOException {
        JsonNode tweet = mapper.readTree(Corpus.read(dataDir, "twitter.json")).get("statuses").get(0);
        tweetJson = mapper.writeValueAsBytes(tweet);
        stored = MemorySegment.ofArray(new BlitWriter().convert(tweetJson, 0, tweetJson.length).toByteArray());
        expectedNameString = tweet.get("user").get("screen_name").asText();
        expectedName = BlitKey.of(expectedNameString);
        if (blit() != jacksonTree() || blit() != jacksonStreaming() || blit() < 0) {
            throw new IllegalStateException("the three implementations disagree");
        }
    }

    /** Returns retweet_count, negated when the screen name does not match (so the JIT must do both reads). */
    @Benchmark
    public long blit() {
        doc.wrap(stored, 0).rootObject(root);
        boolean match = root.getObject(USER, user) && user.stringEquals(SCREEN_NAME, expectedName);
        long retweets = root.getLong(RETWEET_COUNT, -1);
        return match ? retweets : -retweets - 1;
    }

    @Benchmark
    public long jacksonTree() throws IOException {
        JsonNode t = mapper.readTree(tweetJson);
        boolean match = expectedNameString.equals(t.get("user").get("screen_name").asText());
        long retweets = t.get("retweet_count").asLong();
        return match ? retweets : -retweets - 1;
    }

    @Benchmark
    public long jacksonStreaming() throws IOException {
        boolean match = false;
        long retweets = -1;
        int found = 0;
        try (JsonParser p = factory.createParser(tweetJson)) {
            p.nextToken(); // START_OBJECT
            while (found < 2 && p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if ("retweet_count".equals(name)) {
                    retweets = p.getLongValue();
                    found++;
                } else if ("user".equals(name) && value == JsonToken.START_OBJECT) {
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String inner = p.currentName();
                        p.nextToken();
                        if ("screen_name".equals(inner)) {
                            match = expectedNameString.equals(p.getText());
                        } else {
                            p.skipChildren();
                        }
                    }
                    found++;
                } else {
                    p.skipChildren();
                }
            }
        }
        return match ? retweets : -retweets - 1;
    }
}

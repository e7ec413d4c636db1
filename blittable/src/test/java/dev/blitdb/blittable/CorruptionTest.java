package dev.blitdb.blittable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/**
 * Seeded corruption: byte flips, random bytes and truncations of valid documents. Each one must end in a clean
 * BlitFormatException from wrap/validate, or validate and then read completely (every value, every name, JSON
 * output that parses) without any other exception.
 */
class CorruptionTest {

    private static List<byte[]> samples() throws IOException {
        List<byte[]> docs = new ArrayList<>();
        docs.add(Json.blit("{\"b\":[true,null],\"a\":-3,\"s\":\"hi\"}"));
        docs.add(Json.blit(new RandomJson(7).document(4)));
        docs.add(Json.blit(new RandomJson(11).document(5)));
        StringBuilder wide = new StringBuilder("{");
        for (int i = 0; i < 300; i++) {
            wide.append(i == 0 ? "" : ",").append("\"k").append(299 - i).append("\":").append(i * 1000);
        }
        docs.add(Json.blit(wide.append(",\"long\":\"").append("abc\\n".repeat(100)).append("\"}").toString()));
        Path twitter = Path.of(System.getProperty("blitdb.shared.data", "../../shared/data"))
                .resolve("json-corpus/twitter.json");
        if (Files.exists(twitter)) {
            JsonNode statuses = TestData.tree(Files.readAllBytes(twitter)).get("statuses");
            for (int i = 0; i < 3; i++) {
                docs.add(Json.blit(statuses.get(i * 7).toString()));
            }
        }
        return docs;
    }

    @Test
    void shouldFailCleanlyOrReadInBoundsWhenBytesAreCorrupted() throws IOException {
        List<byte[]> docs = samples();
        int[] outcomes = new int[2];
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            SplittableRandom random = new SplittableRandom(20261122);
            BlitValidator validator = new BlitValidator();
            BlitDocument doc = new BlitDocument();
            for (int round = 0; round < 6000; round++) {
                byte[] original = docs.get(round % docs.size());
                byte[] bytes = mutate(original, random);
                try {
                    validator.validate(MemorySegment.ofArray(bytes), 0, doc);
                } catch (BlitFormatException e) {
                    assertEquals(BlitFormatException.Kind.CORRUPT_DOCUMENT, e.kind());
                    outcomes[0]++;
                    continue;
                }
                outcomes[1]++;
                readEverything(doc);
            }
        });
        // Both paths must have been exercised for the test to mean something.
        assertTrue(outcomes[0] > 1000 && outcomes[1] > 50, "rejected " + outcomes[0] + ", accepted " + outcomes[1]);
    }

    private static byte[] mutate(byte[] original, SplittableRandom random) {
        byte[] b = original.clone();
        switch (random.nextInt(4)) {
            case 0 -> b[random.nextInt(b.length)] ^= (byte) (1 << random.nextInt(8));
            case 1 -> {
                for (int i = random.nextInt(1, 4); i > 0; i--) {
                    b[random.nextInt(b.length)] = (byte) random.nextInt(256);
                }
            }
            case 2 -> b = java.util.Arrays.copyOf(b, random.nextInt(b.length));
            default -> {
                // Truncate and make the header agree, so validation must find the damage further in.
                b = java.util.Arrays.copyOf(b, random.nextInt(BlitFormat.MIN_DOCUMENT_LENGTH, b.length));
                if (b.length >= 6) {
                    Bytes.putU32(b, BlitFormat.HEADER_DOCUMENT_LENGTH, b.length);
                }
            }
        }
        return b;
    }

    /** Every read a client can do, over the whole document. */
    static void readEverything(BlitDocument doc) throws IOException {
        TestData.tree(BlitJsonWriter.toJson(doc, true));
        TestData.tree(BlitJsonWriter.toJson(doc, false));
        walk(doc.root(new BlitValue()));
    }

    private static void walk(BlitValue v) {
        switch (v.type()) {
            case OBJECT -> {
                BlitObject o = v.asObject(new BlitObject());
                BlitString name = new BlitString();
                for (int k = 0; k < o.length(); k++) {
                    int i = o.sortedIndex(k);
                    o.nameAt(i, name).toString();
                    assertTrue(o.find(BlitKey.of(name.toString())) == i);
                    walk(o.valueAt(i, new BlitValue()));
                }
            }
            case ARRAY -> {
                BlitArray a = v.asArray(new BlitArray());
                for (int i = 0; i < a.length(); i++) {
                    walk(a.get(i, new BlitValue()));
                }
            }
            case STRING -> {
                BlitString s = v.asString(new BlitString());
                s.hash();
                s.toString();
            }
            case INTEGER, DECIMAL -> {
                v.asDouble();
                v.asLong();
                v.asBigDecimal();
            }
            case BOOLEAN -> v.asBoolean();
            case NULL -> assertTrue(v.isNull());
        }
    }

    @Test
    void shouldRejectEveryTruncationWhenHeaderIsKept() throws IOException {
        for (byte[] original : samples()) {
            for (int len = 0; len < original.length; len++) {
                byte[] cut = java.util.Arrays.copyOf(original, len);
                assertThrows(BlitFormatException.class,
                        () -> new BlitValidator().validate(MemorySegment.ofArray(cut), 0, new BlitDocument()));
            }
        }
    }

    @Test
    void shouldRejectSharedChildrenBeyondBudgetWhenDocumentIsCrafted() {
        // [[x,x],[x,x]...] style sharing: an array whose items all point at one big array is refused once the
        // visits exceed the document's length.
        BlitBuilder b = new BlitBuilder();
        b.startArray();
        b.startArray();
        for (int i = 0; i < 100; i++) {
            b.value(i);
        }
        b.endArray();
        for (int i = 0; i < 100; i++) {
            b.value(0L);
        }
        b.endArray().finish();
        byte[] bytes = b.toByteArray();
        BlitDocument doc = new BlitDocument().wrap(bytes).validate();
        BlitArray outer = doc.root(new BlitValue()).asArray(new BlitArray());
        int innerPos = outer.get(0, new BlitValue()).position();
        // Point every outer item at the inner array (distances are 1 byte here? widen-safe: only patch if it fits).
        int root = doc.rootPosition();
        int dist = root - innerPos;
        int w = BlitFormat.width((bytes[root] >>> BlitFormat.OFFSET_WIDTH_SHIFT) & 3);
        int offsets = root + 1 + Bytes.varintLength(101);
        for (int i = 1; i <= 100; i++) {
            Bytes.putUint(bytes, offsets + i * w, dist, w);
        }
        BlitFormatException e = assertThrows(BlitFormatException.class, () -> new BlitDocument().wrap(bytes).validate());
        assertTrue(e.getMessage().contains("more values"), e.getMessage());
    }
}

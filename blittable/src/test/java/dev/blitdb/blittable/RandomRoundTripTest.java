package dev.blitdb.blittable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** Seeded property-based round trips: JSON → blittable → JSON is the same tree, in the same order. */
class RandomRoundTripTest {
    private final BlitWriter writer = new BlitWriter();

    private void assertRoundTrip(String json) {
        byte[] in = json.getBytes(StandardCharsets.UTF_8);
        BlitBuilder b = writer.convert(in, 0, in.length);
        BlitDocument doc = new BlitDocument().wrap(b.toByteArray()).validate();
        JsonNode expected = TestData.tree(in);
        JsonNode back = TestData.tree(BlitJsonWriter.toJson(doc, true));
        assertEquals(expected, back, json);
        assertSameOrder(expected, back);
        assertEquals(expected, TestData.tree(BlitJsonWriter.toJson(doc, false)));
    }

    /** Jackson's ObjectNode equality ignores order; the original order must come back too. */
    static void assertSameOrder(JsonNode a, JsonNode b) {
        if (a.isObject()) {
            List<String> na = new ArrayList<>();
            a.fieldNames().forEachRemaining(na::add);
            List<String> nb = new ArrayList<>();
            b.fieldNames().forEachRemaining(nb::add);
            assertEquals(na, nb);
            for (String n : na) {
                assertSameOrder(a.get(n), b.get(n));
            }
        } else if (a.isArray()) {
            Iterator<JsonNode> ia = a.elements();
            Iterator<JsonNode> ib = b.elements();
            while (ia.hasNext()) {
                assertSameOrder(ia.next(), ib.next());
            }
        }
    }

    @Test
    void shouldRoundTripWhenJsonIsRandom() {
        for (long seed = 1; seed <= 1500; seed++) {
            assertRoundTrip(new RandomJson(seed).document(5));
        }
    }

    @Test
    void shouldRoundTripWhenInputStartsWithByteOrderMarkOrSitsInsideALargerArray() {
        for (long seed = 2000; seed < 2200; seed++) {
            String json = new RandomJson(seed).document(4);
            byte[] body = json.getBytes(StandardCharsets.UTF_8);
            byte[] framed = new byte[body.length + 10];
            framed[4] = (byte) 0xEF;
            framed[5] = (byte) 0xBB;
            framed[6] = (byte) 0xBF;
            System.arraycopy(body, 0, framed, 7, body.length);
            BlitDocument doc = new BlitDocument().wrap(writer.convert(framed, 4, body.length + 3).toByteArray())
                    .validate();
            JsonNode expected = TestData.tree(body);
            JsonNode back = TestData.tree(BlitJsonWriter.toJson(doc, true));
            assertEquals(expected, back, json);
            assertSameOrder(expected, back);
        }
    }

    @Test
    void shouldRoundTripWhenNestingIsAtTheLimitAndRejectOneDeeper() {
        assertRoundTrip("[".repeat(255) + "{\"a\":1}" + "]".repeat(255));
        String tooDeep = "[".repeat(256) + "{\"a\":1}" + "]".repeat(256);
        byte[] in = tooDeep.getBytes(StandardCharsets.UTF_8);
        BlitFormatException e = assertThrows(BlitFormatException.class, () -> writer.convert(in, 0, in.length));
        assertEquals(BlitFormatException.Kind.TOO_DEEP, e.kind());
        assertTrue(e.getMessage().contains("257") && e.getMessage().contains("256"), e.getMessage());
        assertEquals(1, e.line());
        assertEquals(257, e.column());
    }

    @Test
    void shouldSwitchOffsetWidthsWhenObjectsGrow() {
        for (int n : new int[] {1, 200, 300, 5000}) {
            StringBuilder json = new StringBuilder("{");
            for (int i = 0; i < n; i++) {
                json.append(i == 0 ? "" : ",").append("\"name").append(n - i).append("\":\"")
                        .append("v".repeat(i % 40)).append("\"");
            }
            assertRoundTrip(json.append('}').toString());
        }
        StringBuilder big = new StringBuilder("[");
        for (int i = 0; i < 5000; i++) {
            big.append(i == 0 ? "" : ",").append("{\"k\":").append(i).append(",\"s\":\"").append("x".repeat(i % 20))
                    .append("\"}");
        }
        assertRoundTrip(big.append(']').toString());
        // One value far away: 4-byte distances.
        assertRoundTrip("{\"a\":\"" + "q".repeat(70000) + "\",\"b\":[1,\"" + "r".repeat(70000) + "\"]}");
    }

    @Test
    void shouldKeepExactNumbersWhenTheyAreExtreme() {
        String json = "[0.1,-0.0,-0,1e400,1.5e-300,12345678901234567890,-9223372036854775808,9223372036854775807,"
                + "1.0,1.00,0E+5,123456789012345678901234567890,4.9E-324,1e-7,0.000001]";
        byte[] in = json.getBytes(StandardCharsets.UTF_8);
        BlitDocument doc = new BlitDocument().wrap(writer.convert(in, 0, in.length).toByteArray()).validate();
        assertEquals("[0.1,-0.0,-0,1E+400,1.5E-300,12345678901234567890,-9223372036854775808,9223372036854775807,"
                + "1.0,1.00,0E+5,123456789012345678901234567890,4.9E-324,1E-7,0.000001]", Json.text(doc));
        BlitArray a = doc.root(new BlitValue()).asArray(new BlitArray());
        assertEquals(0.1, a.getDouble(0), 0.0);
        assertEquals(Double.doubleToLongBits(-0.0), Double.doubleToLongBits(a.getDouble(1)));
        assertEquals(Double.POSITIVE_INFINITY, a.getDouble(3));
        assertEquals(1.5e-300, a.getDouble(4), 0.0);
        assertEquals(Long.MIN_VALUE, a.getLong(6));
        assertEquals(Long.MAX_VALUE, a.getLong(7));
        assertEquals(4.9E-324, a.getDouble(12), 0.0);
    }
}

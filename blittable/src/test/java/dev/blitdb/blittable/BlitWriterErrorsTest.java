package dev.blitdb.blittable;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class BlitWriterErrorsTest {
    private final BlitWriter writer = new BlitWriter();

    private BlitFormatException reject(BlitWriter w, String json) {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        return assertThrows(BlitFormatException.class, () -> w.convert(b, 0, b.length));
    }

    @Test
    void shouldReportLineAndColumnWhenJsonIsInvalid() {
        BlitFormatException e = reject(writer, "{\n  \"a\": 1,\n  \"b\": tru }");
        assertEquals(BlitFormatException.Kind.INVALID_JSON, e.kind());
        assertEquals(3, e.line());
        assertTrue(e.column() >= 8 && e.column() <= 13, "column " + e.column()); // Jackson points at or just past "tru"
        assertTrue(e.getMessage().contains("line 3"), e.getMessage());
        assertFalse(e.kind().tooLarge());
    }

    @Test
    void shouldRejectWhenContentFollowsTheRoot() {
        BlitFormatException e = reject(writer, "{} []");
        assertEquals(BlitFormatException.Kind.INVALID_JSON, e.kind());
        assertEquals(1, e.line());
        assertEquals(4, e.column());
        assertEquals(BlitFormatException.Kind.INVALID_JSON, reject(writer, "").kind());
        assertEquals(BlitFormatException.Kind.INVALID_JSON, reject(writer, "  ").kind());
        assertEquals(BlitFormatException.Kind.INVALID_JSON, reject(writer, "[1,2").kind());
    }

    @Test
    void shouldPointAtTheByteWhenUtf8IsInvalid() {
        byte[] b = "{\"a\":\n\"xx?\"}".getBytes(StandardCharsets.US_ASCII);
        b[9] = (byte) 0xC0; // overlong lead byte
        BlitFormatException e = assertThrows(BlitFormatException.class, () -> writer.convert(b, 0, b.length));
        assertEquals(BlitFormatException.Kind.INVALID_UTF8, e.kind());
        assertEquals(2, e.line());
        assertEquals(4, e.column());
        assertEquals(9, e.byteOffset());
        byte[] nul = "[\"a\u0000\"]".getBytes(StandardCharsets.UTF_8);
        assertEquals(BlitFormatException.Kind.INVALID_JSON,
                assertThrows(BlitFormatException.class, () -> writer.convert(nul, 0, nul.length)).kind());
    }

    @Test
    void shouldRejectUnpairedSurrogateEscapesWhenConverting() {
        assertEquals(BlitFormatException.Kind.INVALID_UTF8, reject(writer, "[\"\\ud800\"]").kind());
        assertEquals(BlitFormatException.Kind.INVALID_UTF8, reject(writer, "{\"\\udc00\":1}").kind());
    }

    @Test
    void shouldNameTheLimitWhenDocumentIsTooLarge() {
        BlitWriter small = new BlitWriter(new BlitLimits(256, 1000, 4096, 65536));
        BlitFormatException e = reject(small, "[\"" + "x".repeat(2000) + "\"]");
        assertEquals(BlitFormatException.Kind.DOCUMENT_TOO_LARGE, e.kind());
        assertTrue(e.kind().tooLarge());
        assertTrue(e.getMessage().contains("1000"), e.getMessage());
        // Output over the limit although the input is under it: many tiny containers cost more than their JSON.
        e = reject(small, "[" + "[],".repeat(300) + "[]]");
        assertEquals(BlitFormatException.Kind.DOCUMENT_TOO_LARGE, e.kind());
        assertThrows(BlitFormatException.class, () -> small.convert(new ByteArrayInputStream(new byte[5000])));
    }

    @Test
    void shouldNameTheLimitWhenPropertyNameIsTooLong() {
        BlitFormatException e = reject(writer, "{\"" + "n".repeat(4097) + "\":1}");
        assertEquals(BlitFormatException.Kind.NAME_TOO_LONG, e.kind());
        assertTrue(e.getMessage().contains("4097") && e.getMessage().contains("4096"), e.getMessage());
        assertEquals(1, e.line());
        Json.doc("{\"" + "n".repeat(4096) + "\":1}");
    }

    @Test
    void shouldNameTheLimitWhenObjectHasTooManyProperties() {
        BlitWriter small = new BlitWriter(new BlitLimits(256, 1 << 20, 4096, 10));
        StringBuilder json = new StringBuilder("{");
        for (int i = 0; i < 11; i++) {
            json.append(i == 0 ? "" : ",").append("\"p").append(i).append("\":").append(i);
        }
        BlitFormatException e = reject(small, json.append('}').toString());
        assertEquals(BlitFormatException.Kind.TOO_MANY_PROPERTIES, e.kind());
        assertTrue(e.getMessage().contains("10"), e.getMessage());
    }

    @Test
    void shouldKeepLastValueAtFirstPlaceWhenKeysRepeat() {
        BlitDocument doc = Json.doc("{\"a\":1,\"b\":2,\"a\":{\"x\":[3]},\"c\":4,\"b\":5}");
        assertEquals("{\"a\":{\"x\":[3]},\"b\":5,\"c\":4}", Json.text(doc));
    }

    @Test
    void shouldProduceIdenticalBytesWhenWriterIsReused() throws IOException {
        String[] docs = {"{\"a\":1,\"b\":[true]}", "[\"x\",{\"b\":2,\"a\":null}]", "{\"a\":1,\"b\":[true]}"};
        for (String d : docs) {
            byte[] fresh = Json.blit(d);
            byte[] in = d.getBytes(StandardCharsets.UTF_8);
            assertArrayEquals(fresh, writer.convert(in, 0, in.length).toByteArray());
            assertArrayEquals(fresh, writer.convert(new ByteArrayInputStream(in)).toByteArray());
        }
    }

    @Test
    void shouldBuildTheSameDocumentWhenUsingTheBuilder() {
        BlitBuilder b = new BlitBuilder();
        b.startObject().name("b").startArray().value(true).nullValue().endArray().name("a").value(-3L)
                .name("s").value("hi").endObject().finish();
        assertArrayEquals(Json.blit("{\"b\":[true,null],\"a\":-3,\"s\":\"hi\"}"), b.toByteArray());
        b.reset().startObject().name("d").value(0.1).name("e").decimal(true, 15, 1).name("u").value("\u00e9\"")
                .endObject().finish();
        assertEquals("{\"d\":0.1,\"e\":-1.5,\"u\":\"\u00e9\\\"\"}", Json.text(Json.copyOf(b)));
        assertThrows(IllegalStateException.class, () -> new BlitBuilder().startObject().value(1L));
        assertThrows(IllegalStateException.class, () -> new BlitBuilder().startArray().name("x"));
        assertThrows(IllegalStateException.class, () -> new BlitBuilder().startArray().finish());
        assertThrows(IllegalArgumentException.class, () -> new BlitBuilder().value(Double.NaN));
    }

    @Test
    void shouldCopySubtreesIntoNewDocumentsWhenSplittingABulkRequest() {
        String d1 = "{\"Name\":\"Ann\",\"Tags\":[\"a\",{\"deep\":-0.0}],\"Bio\":\"" + "bio ".repeat(60) + "\","
                + "\"n\":12345678901234567890,\"z\":null}";
        BlitDocument bulk = Json.doc("{\"Commands\":[{\"Type\":\"PUT\",\"Id\":\"users/1\",\"Document\":" + d1 + "},"
                + "{\"Type\":\"PUT\",\"Id\":\"users/2\",\"Document\":[1,true]}]}");
        BlitArray commands = new BlitArray();
        bulk.rootObject(new BlitObject()).getArray(BlitKey.of("Commands"), commands);
        BlitValue command = new BlitValue();
        BlitValue document = new BlitValue();
        BlitBuilder out = new BlitBuilder();
        commands.get(0, command).asObject(new BlitObject()).get(BlitKey.of("Document"), document);
        out.reset().value(document).finish();
        assertEquals(d1, Json.text(Json.copyOf(out)));
        commands.get(1, command).asObject(new BlitObject()).get(BlitKey.of("Document"), document);
        out.reset().value(document).finish();
        assertEquals("[1,true]", Json.text(Json.copyOf(out)));
    }
}

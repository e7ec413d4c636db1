package dev.blitdb.blittable;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/** Keeps FORMAT.md §11 and the code in step: the example bytes are read from the spec itself. */
class FormatExampleTest {
    private static final String JSON = "{\"b\":[true,null],\"a\":-3,\"s\":\"hi\"}";

    static byte[] exampleFromSpec() throws IOException {
        String spec = Files.readString(Path.of("FORMAT.md"));
        int from = spec.indexOf("<!-- example-bytes:begin -->");
        int to = spec.indexOf("<!-- example-bytes:end -->");
        assertTrue(from >= 0 && to > from, "FORMAT.md lost its example-bytes markers");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String token : spec.substring(from, to).replace("```", " ").split("\\s+")) {
            if (token.matches("[0-9A-F]{2}")) {
                out.write(Integer.parseInt(token, 16));
            }
        }
        return out.toByteArray();
    }

    @Test
    void shouldProduceTheSpecBytesWhenWritingTheExample() throws IOException {
        assertArrayEquals(exampleFromSpec(), Json.blit(JSON));
    }

    @Test
    void shouldDecodeTheSpecBytesByteByByte() throws IOException {
        byte[] bytes = exampleFromSpec();
        assertEquals(46, bytes.length);
        BlitDocument doc = new BlitDocument().wrap(bytes).validate();
        assertEquals(46, doc.length());
        assertEquals(26, doc.rootPosition());
        BlitObject root = doc.rootObject(new BlitObject());
        assertEquals(3, root.length());
        // Sorted entries a, b, s; original order b, a, s (§6).
        BlitString name = new BlitString();
        assertEquals("a", root.nameAt(0, name).toString());
        assertEquals("b", root.nameAt(1, name).toString());
        assertEquals("s", root.nameAt(2, name).toString());
        assertEquals(1, root.sortedIndex(0));
        assertEquals(0, root.sortedIndex(1));
        assertEquals(2, root.sortedIndex(2));
        assertEquals(20, root.valuePosition(0));
        assertEquals(16, root.valuePosition(1));
        assertEquals(22, root.valuePosition(2));
        assertEquals(-3, root.getLong(BlitKey.of("a"), 0));
        BlitArray b = new BlitArray();
        assertTrue(root.getArray(BlitKey.of("b"), b));
        assertEquals(2, b.length());
        assertEquals(BlitType.BOOLEAN, b.typeAt(0));
        assertEquals(BlitType.NULL, b.typeAt(1));
        assertTrue(root.stringEquals(BlitKey.of("s"), BlitKey.of("hi")));
        assertEquals(JSON, Json.text(doc));
    }
}

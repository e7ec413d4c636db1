package dev.blitdb.blittable;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlitReaderTest {
    private static final String JSON = "{\"user\":{\"screen_name\":\"ann\",\"id\":-42,\"verified\":true},"
            + "\"retweet_count\":7,\"ratio\":0.125,\"nothing\":null,\"tags\":[\"a\",\"b\"],"
            + "\"long\":\"" + "z".repeat(300) + "\",\"big\":12345678901234567890,\"zeta\":1}";

    private final BlitObject root = new BlitObject();
    private final BlitObject user = new BlitObject();
    private final BlitString str = new BlitString();
    private final BlitValue value = new BlitValue();

    @Test
    void shouldReadTypedValuesWhenLookingUpByKey() {
        BlitDocument doc = Json.doc(JSON);
        doc.rootObject(root);
        assertEquals(7, root.getLong(BlitKey.of("retweet_count"), -1));
        assertEquals(0.125, root.getDouble(BlitKey.of("ratio"), -1), 0.0);
        assertEquals(-1, root.getLong(BlitKey.of("missing"), -1));
        assertEquals(-1, root.getLong(BlitKey.of("nothing"), -1));
        assertTrue(root.isNull(BlitKey.of("nothing")));
        assertFalse(root.isNull(BlitKey.of("missing")));
        assertNull(root.typeOf(BlitKey.of("missing")));
        assertEquals(BlitType.DECIMAL, root.typeOf(BlitKey.of("big")));
        assertEquals(1.2345678901234567e19, root.getDouble(BlitKey.of("big"), 0), 0.0);
        assertTrue(root.getObject(BlitKey.of("user"), user));
        assertTrue(user.getBoolean(BlitKey.of("verified"), false));
        assertEquals(-42, user.getLong(BlitKey.of("id"), 0));
        assertTrue(user.stringEquals(BlitKey.of("screen_name"), BlitKey.of("ann")));
        assertFalse(user.stringEquals(BlitKey.of("screen_name"), BlitKey.of("anna")));
        assertThrows(IllegalStateException.class, () -> user.getLong(BlitKey.of("screen_name"), 0));
        assertThrows(IllegalStateException.class, () -> user.getBoolean(BlitKey.of("id"), false));
    }

    @Test
    void shouldCompareHashAndDecodeWhenStringIsCompressed() {
        BlitDocument doc = Json.doc(JSON);
        doc.rootObject(root);
        assertTrue(root.getString(BlitKey.of("long"), str));
        assertTrue(str.isCompressed());
        assertEquals(300, str.length());
        BlitKey expected = BlitKey.of("z".repeat(300));
        assertTrue(str.equalsKey(expected));
        assertTrue(root.stringEquals(BlitKey.of("long"), expected));
        assertFalse(str.equalsKey(BlitKey.of("z".repeat(299) + "y")));
        assertEquals(expected.hash(), str.hash());
        byte[] into = new byte[310];
        assertEquals(300, str.copyTo(into, 5));
        assertEquals("z".repeat(300), new String(into, 5, 300, StandardCharsets.UTF_8));
        assertEquals("z".repeat(300), str.toString());
    }

    @Test
    void shouldIterateInOriginalAndSortedOrderWhenAsked() {
        BlitDocument doc = Json.doc("{\"b\":1,\"c\":2,\"a\":3}");
        doc.rootObject(root);
        List<String> original = new ArrayList<>();
        root.forEach(true, str, value, (n, v) -> original.add(n + "=" + v.asLong()));
        List<String> sorted = new ArrayList<>();
        root.forEach(false, str, value, (n, v) -> sorted.add(n + "=" + v.asLong()));
        assertEquals(List.of("b=1", "c=2", "a=3"), original);
        assertEquals(List.of("a=3", "b=1", "c=2"), sorted);
        assertEquals("{\"a\":3,\"b\":1,\"c\":2}", Json.sorted(doc));
    }

    @Test
    void shouldIndexArraysWhenReadingItems() {
        BlitDocument doc = Json.doc("[1,\"two\",[3],{\"four\":4},null,2.5]");
        BlitArray array = doc.root(value).asArray(new BlitArray());
        assertEquals(6, array.length());
        assertEquals(1, array.getLong(0));
        assertEquals("two", array.getString(1, str).toString());
        assertEquals(BlitType.ARRAY, array.typeAt(2));
        assertEquals(4, array.get(3, value).asObject(root).getLong(BlitKey.of("four"), 0));
        assertTrue(array.get(4, value).isNull());
        assertEquals(2.5, array.getDouble(5), 0.0);
        assertThrows(IndexOutOfBoundsException.class, () -> array.get(6, value));
    }

    @Test
    void shouldVisitEveryMatchWhenPathHasArrays() {
        BlitDocument doc = Json.doc("{\"Address\":{\"City\":\"Oslo\"},\"Tags\":[\"x\",\"y\"],"
                + "\"Lines\":[{\"Product\":\"p1\"},{\"Qty\":2},{\"Product\":\"p3\"},7],\"M\":[[1,2],[3]],"
                + "\"N\":null}");
        assertEquals(List.of("Oslo"), strings(doc, "Address.City"));
        assertEquals(List.of("x", "y"), strings(doc, "Tags[]"));
        assertEquals(List.of("p1", "p3"), strings(doc, "Lines[].Product"));
        assertEquals(List.of(), strings(doc, "Address.Missing"));
        assertEquals(List.of(), strings(doc, "Address[]"));
        List<Long> numbers = new ArrayList<>();
        BlitPath.compile("M[][]").forEach(doc, v -> numbers.add(v.asLong()));
        assertEquals(List.of(1L, 2L, 3L), numbers);
        assertTrue(BlitPath.compile("N").first(doc, value));
        assertTrue(value.isNull());
        assertFalse(BlitPath.compile("Nope.x").first(doc, value));
        assertThrows(IllegalArgumentException.class, () -> BlitPath.compile("a..b"));
        assertThrows(IllegalArgumentException.class, () -> BlitPath.compile("a[x]"));
    }

    private List<String> strings(BlitDocument doc, String path) {
        List<String> out = new ArrayList<>();
        BlitPath.compile(path).forEach(doc, v -> out.add(v.asString(new BlitString()).toString()));
        return out;
    }

    @Test
    void shouldReadFromMappedFileWhenDocumentIsStoredOnDisk(@TempDir Path dir) throws IOException {
        byte[] blit = Json.blit(JSON);
        Path file = dir.resolve("doc.blit");
        byte[] padded = new byte[blit.length + 100];
        System.arraycopy(blit, 0, padded, 37, blit.length);
        Files.write(file, padded);
        try (Arena arena = Arena.ofConfined();
             FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            MemorySegment mapped = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena);
            BlitDocument doc = new BlitValidator().validate(mapped, 37, new BlitDocument());
            doc.rootObject(root);
            assertEquals(7, root.getLong(BlitKey.of("retweet_count"), -1));
            assertTrue(root.getObject(BlitKey.of("user"), user));
            assertTrue(user.stringEquals(BlitKey.of("screen_name"), BlitKey.of("ann")));
            assertTrue(root.getString(BlitKey.of("long"), str));
            assertTrue(str.equalsKey(BlitKey.of("z".repeat(300))));
            assertArrayEquals(BlitJsonWriter.toJson(Json.doc(JSON), true), BlitJsonWriter.toJson(doc, true));
        }
    }

    @Test
    void shouldRejectWrapWhenHeaderIsBroken() {
        byte[] blit = Json.blit("{\"a\":1}");
        blit[0] = 0;
        BlitFormatException e = assertThrows(BlitFormatException.class, () -> new BlitDocument().wrap(blit));
        assertEquals(BlitFormatException.Kind.CORRUPT_DOCUMENT, e.kind());
        assertThrows(BlitFormatException.class, () -> new BlitDocument().wrap(new byte[3]));
    }

    @Test
    void shouldFindEveryNameWhenNamesShareLongPrefixesOrEndTheDocument() {
        String[] names = {"", "a", "abcdefg", "abcdefgh", "abcdefghi", "abcdefghabcdefgh", "abcdefghabcdefghi",
            "abcdefgi", "\u00e9t\u00e9", "zzzzzzzzzzzzzzzzzzzzzzzzz"};
        StringBuilder json = new StringBuilder("{");
        for (int i = 0; i < names.length; i++) {
            json.append(i == 0 ? "" : ",").append('"').append(names[i]).append("\":\"").append(names[i]).append('"');
        }
        BlitDocument doc = Json.doc(json.append('}').toString());
        doc.rootObject(root);
        for (String n : names) {
            String decoded = n.replace("\\u00e9", "\u00e9");
            BlitKey key = BlitKey.of(decoded);
            assertTrue(root.find(key) >= 0, decoded);
            assertTrue(root.stringEquals(key, key), decoded);
            assertFalse(root.stringEquals(key, BlitKey.of(decoded + "x")), decoded);
            assertEquals(-1, root.find(BlitKey.of(decoded + "\u0000")));
        }
        assertEquals(-1, root.find(BlitKey.of("abcdefgj")));
        assertEquals(-1, root.find(BlitKey.of("b")));
        // The only name sits in the document's last byte: the tail comparison path.
        BlitDocument tiny = Json.doc("{\"a\":1}");
        BlitObject o = tiny.rootObject(new BlitObject());
        assertEquals(0, o.find(BlitKey.of("a")));
        assertEquals(-1, o.find(BlitKey.of("ab")));
        assertEquals(-1, o.find(BlitKey.of("")));
        assertEquals(-1, o.find(BlitKey.of("0")));
    }

    @Test
    void shouldFindTheRightEntryWhenOneKeyServesObjectsOfManyShapes() {
        BlitKey id = BlitKey.of("id");
        String[] docs = {"{\"id\":1,\"b\":0}", "{\"a\":0,\"id\":2}", "{\"a\":0,\"b\":0}", "{\"id\":4}",
            "{\"c\":0,\"d\":0,\"e\":0,\"f\":0,\"g\":0,\"h\":0,\"i\":0,\"id\":5,\"j\":0}",
            "{\"a\":0,\"id\":6}", "{\"id\":7,\"z\":0}"};
        long[] expected = {1, 2, -1, 4, 5, 6, 7};
        for (int round = 0; round < 3; round++) {
            for (int d = 0; d < docs.length; d++) {
                Json.doc(docs[d]).rootObject(root);
                assertEquals(expected[d], root.getLong(id, -1), docs[d]);
            }
        }
    }
}

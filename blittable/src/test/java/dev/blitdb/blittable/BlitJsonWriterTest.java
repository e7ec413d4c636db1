package dev.blitdb.blittable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class BlitJsonWriterTest {

    @Test
    void shouldEscapeControlsQuotesAndBackslashesWhenWritingStringsAndNames() {
        String json = "{\"q\\\"k\\\\\\n\":\"a\\\"b\\\\c\\u0001\\u001f\\t\\r\\b\\f\\n/\\u00e9\\ud83d\\ude00\"}";
        BlitDocument doc = Json.doc(json);
        assertEquals("{\"q\\\"k\\\\\\n\":\"a\\\"b\\\\c\\u0001\\u001f\\t\\r\\b\\f\\n/\u00e9\ud83d\ude00\"}",
                Json.text(doc));
        String escapedLong = "[\"" + "line\\n\\\"quoted\\\" ".repeat(40) + "\"]";
        BlitDocument compressed = Json.doc(escapedLong);
        BlitString s = compressed.root(new BlitValue()).asArray(new BlitArray()).getString(0, new BlitString());
        assertTrue(s.isCompressed());
        assertEquals(TestData.tree(escapedLong.getBytes(StandardCharsets.UTF_8)),
                TestData.tree(BlitJsonWriter.toJson(compressed, true)));
    }

    /** The word-at-a-time escape checks: one special byte at every position of names and strings of 1..40 bytes. */
    @Test
    void shouldEscapeEveryByteAtEveryPositionWhenWritingNamesAndStrings() throws IOException {
        char[] specials = {'"', '\\', '\n', '\u0001', '\u001f', ' ', '\u007f', '\u00e9'};
        com.fasterxml.jackson.databind.ObjectMapper mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        for (char c : specials) {
            for (int len = 1; len <= 40; len++) {
                for (int pos = 0; pos < len; pos++) {
                    String text = "a".repeat(pos) + c + "b".repeat(len - pos - 1);
                    String longText = text + "0123456789".repeat(20) + text; // > 128 bytes: compressed
                    java.util.Map<String, String> map = new java.util.LinkedHashMap<>();
                    map.put(text, text);
                    map.put("k", longText);
                    BlitDocument doc = Json.doc(mapper.writeValueAsString(map));
                    String expected = "{\"" + escape(text) + "\":\"" + escape(text) + "\",\"k\":\""
                            + escape(longText) + "\"}";
                    for (int chunk : new int[] {64, 16 * 1024}) {
                        ByteArrayOutputStream out = new ByteArrayOutputStream();
                        new BlitJsonWriter(chunk).write(doc, true, JsonSink.of(out));
                        assertEquals(expected, out.toString(StandardCharsets.UTF_8), "char " + (int) c + " at "
                                + pos + " of " + len);
                    }
                    assertEquals(expected.getBytes(StandardCharsets.UTF_8).length, new BlitJsonWriter().measure(doc));
                }
            }
        }
    }

    /** The reference escaping: quote, backslash and the named controls as letters, other controls as \\u00xx. */
    private static String escape(String text) {
        StringBuilder b = new StringBuilder();
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '\b' -> b.append("\\b");
                case '\f' -> b.append("\\f");
                default -> b.append(c < 0x20 ? String.format("\\u%04x", (int) c) : String.valueOf(c));
            }
        }
        return b.toString();
    }

    @Test
    void shouldStreamChunkByChunkWhenSinkIsAByteBufferThatIsRefilled() throws IOException {
        StringBuilder json = new StringBuilder("{\"items\":[");
        for (int i = 0; i < 500; i++) {
            json.append(i == 0 ? "" : ",").append("{\"n\":").append(i).append(",\"s\":\"").append("v".repeat(i % 50))
                    .append("\",\"big\":\"").append("w".repeat(i % 7 == 0 ? 300 : 3)).append("\"}");
        }
        BlitDocument doc = Json.doc(json.append("]}").toString());
        ByteArrayOutputStream sent = new ByteArrayOutputStream();
        List<Integer> chunkSizes = new ArrayList<>();
        ByteBuffer first = ByteBuffer.allocateDirect(1000);
        ByteBufferSink sink = new ByteBufferSink(first, full -> {
            full.flip();
            chunkSizes.add(full.remaining());
            byte[] b = new byte[full.remaining()];
            full.get(b);
            sent.write(b, 0, b.length);
            full.clear();
            return full;
        });
        new BlitJsonWriter(64).write(doc, true, sink);
        ByteBuffer last = sink.buffer().flip();
        byte[] rest = new byte[last.remaining()];
        last.get(rest);
        sent.write(rest, 0, rest.length);
        assertEquals(Json.text(doc), sent.toString(StandardCharsets.UTF_8));
        assertTrue(chunkSizes.size() > 10 && chunkSizes.stream().allMatch(n -> n == 1000), chunkSizes.toString());
        assertThrows(IOException.class, () -> new BlitJsonWriter().write(doc, true,
                new ByteBufferSink(ByteBuffer.allocate(10), full -> null)));
    }

    @Test
    void shouldWriteAnyValueWhenAskedForASubtree() throws IOException {
        BlitDocument doc = Json.doc("{\"a\":{\"z\":1,\"y\":[true,false,null,-12.50]},\"b\":\"x\"}");
        BlitValue v = new BlitValue();
        assertTrue(doc.rootObject(new BlitObject()).get(BlitKey.of("a"), v));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new BlitJsonWriter().write(v, true, JsonSink.of(out));
        assertEquals("{\"z\":1,\"y\":[true,false,null,-12.50]}", out.toString(StandardCharsets.UTF_8));
        out.reset();
        new BlitJsonWriter().write(v, false, JsonSink.of(out));
        assertEquals("{\"y\":[true,false,null,-12.50],\"z\":1}", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void shouldAllocateNothingWhenReadingFieldsAndWritingJson() throws IOException {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        BlitDocument doc = Json.doc("{\"user\":{\"screen_name\":\"ann\",\"id\":7},\"retweet_count\":3,\"r\":0.5,"
                + "\"long\":\"" + "abc".repeat(100) + "\"}");
        BlitKey user = BlitKey.of("user");
        BlitKey name = BlitKey.of("screen_name");
        BlitKey ann = BlitKey.of("ann");
        BlitKey count = BlitKey.of("retweet_count");
        BlitKey ratio = BlitKey.of("r");
        BlitKey text = BlitKey.of("long");
        BlitKey expected = BlitKey.of("abc".repeat(100));
        BlitObject root = new BlitObject();
        BlitObject u = new BlitObject();
        BlitJsonWriter writer = new BlitJsonWriter();
        JsonSink discard = (b, off, len) -> { };
        long sum = 0;
        long before = 0;
        for (int round = 0; round < 2; round++) { // round 0 warms up (thread-local scratch, class init)
            before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 20_000; i++) {
                doc.rootObject(root);
                if (root.getObject(user, u) && u.stringEquals(name, ann) && root.stringEquals(text, expected)) {
                    sum += root.getLong(count, -1) + (long) root.getDouble(ratio, 0);
                }
                if (i % 100 == 0) {
                    writer.write(doc, true, discard);
                }
            }
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertEquals(2 * 20_000L * 3, sum);
        assertTrue(allocated < 1024, "allocated " + allocated + " bytes for 20,000 reads");
    }

    /** A mapped-store-like document: off-heap, so any heap copy of it shows up as allocation. */
    private static BlitDocument offHeap(String json, java.lang.foreign.Arena arena) {
        byte[] blit = Json.blit(json);
        java.lang.foreign.MemorySegment segment = arena.allocate(blit.length + 16);
        java.lang.foreign.MemorySegment.copy(blit, 0, segment, java.lang.foreign.ValueLayout.JAVA_BYTE, 16,
                blit.length);
        return new BlitDocument().wrap(segment, 16).validate();
    }

    private static String bigDocument(int strings, int each) {
        StringBuilder json = new StringBuilder("{\"items\":[");
        java.util.SplittableRandom random = new java.util.SplittableRandom(42);
        for (int i = 0; i < strings; i++) {
            json.append(i == 0 ? "" : ",").append("{\"n\":").append(i).append(",\"text\":\"");
            for (int k = 0; k < each; k++) {
                json.append((char) ('a' + random.nextInt(26)));
            }
            json.append("\",\"q\":\"say \\\"").append(i).append("\\\"\"}");
        }
        return json.append("]}").toString();
    }

    @Test
    void shouldAllocateNoCopyOfTheDocumentWhenWritingALargeOffHeapDocument() throws IOException {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
            BlitDocument small = offHeap(bigDocument(2, 100), arena);
            BlitDocument large = offHeap(bigDocument(4000, 1000), arena);
            assertTrue(large.length() > 4_000_000, "document of " + large.length() + " bytes");
            BlitJsonWriter writer = new BlitJsonWriter(8 * 1024);
            long[] written = {0};
            JsonSink count = (b, off, len) -> written[0] += len;
            long allocated = 0;
            for (int round = 0; round < 3; round++) { // the first round warms up (class init, name tables)
                long before = threads.getCurrentThreadAllocatedBytes();
                writer.write(large, true, count);
                writer.write(small, true, count);
                allocated = threads.getCurrentThreadAllocatedBytes() - before;
            }
            assertTrue(allocated < 4096, "allocated " + allocated + " bytes writing a " + large.length()
                    + "-byte document");
            assertTrue(written[0] > 3L * large.length(), "wrote " + written[0] + " bytes");
        }
    }

    @Test
    void shouldStreamAHugeCompressedStringThroughAFixedWindowWhenWritingIt() throws IOException {
        // Compressible text far longer than the 64 KiB history. JSON text: the second variant holds escape sequences (\n, \", \t) that must come out escaped again.
        String[][] vocabularies = {{"alpha ", "beta ", "gamma ", "delta "}, {"alpha ", "be\\nta ", "\\\"gam\\\" ",
            "del\\tta "}};
        for (String[] words : vocabularies) {
            StringBuilder text = new StringBuilder();
            java.util.SplittableRandom random = new java.util.SplittableRandom(7);
            while (text.length() < 3_000_000) {
                text.append(words[random.nextInt(words.length)]).append(random.nextInt(1000));
            }
            String value = text.toString();
            String json = "{\"s\":\"" + value + "\",\"after\":1}";
            try (java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
                BlitDocument doc = offHeap(json, arena);
                BlitString str = new BlitString();
                assertTrue(doc.rootObject(new BlitObject()).getString(BlitKey.of("s"), str));
                assertTrue(str.isCompressed(), "test string should be stored compressed");
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                List<Integer> chunks = new ArrayList<>();
                new BlitJsonWriter(8 * 1024).write(doc, true, (b, off, len) -> {
                    chunks.add(len);
                    out.write(b, off, len);
                });
                assertEquals(TestData.tree(json.getBytes(StandardCharsets.UTF_8)), TestData.tree(out.toByteArray()));
                assertTrue(chunks.stream().allMatch(k -> k <= 8 * 1024), "chunks above the chunk size");
                assertEquals(out.size(), new BlitJsonWriter().measure(doc));
            }
        }
    }

    @Test
    void shouldMeasureExactlyTheBytesItWritesWhenGivenRandomDocuments() {
        RandomJson random = new RandomJson(1234);
        BlitJsonWriter writer = new BlitJsonWriter(64);
        for (int i = 0; i < 2000; i++) {
            BlitDocument doc = Json.doc(random.document(5));
            assertEquals(BlitJsonWriter.toJson(doc, true).length, writer.measure(doc), "document " + i);
            assertEquals(BlitJsonWriter.toJson(doc, false).length, writer.measure(doc), "document " + i);
        }
        BlitDocument numbers = Json.doc("[0,-0,1e400,-9223372036854775808,9223372036854775807,0.000001,0.0000001,"
                + "-12.50,1E+2,123456789012345678901234567890.5,\"\\u0001\\\"\",{\"\\n\":null}]");
        assertEquals(BlitJsonWriter.toJson(numbers, true).length, writer.measure(numbers));
    }
}

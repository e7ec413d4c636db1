package dev.blitdb.blittable;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/**
 * A document built in spill space (FORMAT.md §14) is byte for byte the document built in a heap array: random
 * documents through a 64-byte window (so every value, table and string crosses the spill boundary at some
 * point), large ones through the real 1 MiB window, stamped copies ({@link BlitDocuments#withMetadata}); and a
 * 40 MB conversion with spilling allocates a bounded amount of heap, not the document.
 */
class SpillConvertTest {

    private static MemorySegment offHeap(Arena arena, byte[] json) {
        MemorySegment s = arena.allocate(Math.max(1, json.length));
        MemorySegment.copy(json, 0, s, ValueLayout.JAVA_BYTE, 0, json.length);
        return s.asSlice(0, json.length);
    }

    private static Object heapOutcome(BlitWriter writer, byte[] json) {
        try {
            return writer.convert(json, 0, json.length).toByteArray();
        } catch (BlitFormatException e) {
            return e.kind() + " " + e.line() + ":" + e.column();
        }
    }

    private static boolean lastSpilled;

    private static Object spillOutcome(BlitWriter writer, MemorySegment json, SpillSpace space) {
        try {
            BlitBuilder built = writer.convert(json, space);
            lastSpilled = built.spilled();
            return built.toByteArray();
        } catch (BlitFormatException e) {
            return e.kind() + " " + e.line() + ":" + e.column();
        }
    }

    private static void assertSameOutcome(Object heap, Object spilled) {
        if (heap instanceof byte[] a) {
            assertArrayEquals(a, (byte[]) spilled);
        } else {
            assertEquals(heap, spilled);
        }
    }

    @Test
    void shouldBuildTheHeapPathsBytesWhenRandomDocumentsSpillThroughATinyWindow() {
        BlitWriter heap = new BlitWriter();
        BlitWriter tiny = new BlitWriter(BlitLimits.DEFAULT, 64);
        try (Arena arena = Arena.ofConfined(); NativeSpillSpace space = new NativeSpillSpace()) {
            RandomJson random = new RandomJson(2026_12_02L);
            int spilled = 0;
            for (int i = 0; i < 1500; i++) {
                byte[] json = random.document(1 + i % 7).getBytes(StandardCharsets.UTF_8);
                Object a = heapOutcome(heap, json);
                Object b = spillOutcome(tiny, offHeap(arena, json), space);
                assertSameOutcome(a, b);
                if (b instanceof byte[] bytes && bytes.length > 64) {
                    assertTrue(lastSpilled, "document " + i + " spilled");
                    spilled++;
                }
            }
            assertTrue(spilled > 1000, spilled + " of 1500 documents spilled");
        }
    }

    @Test
    void shouldBuildTheHeapPathsBytesWhenLargeDocumentsSpillThroughTheRealWindow() {
        SplittableRandom random = new SplittableRandom(7);
        StringBuilder sb = new StringBuilder("{\"escaped\":\"");
        for (int i = 0; i < 300_000; i++) {           // ~3.6 MB of escapes, surrogates and multi-byte text
            sb.append(switch (random.nextInt(6)) {
                case 0 -> "\\n\\t\\\"";
                case 1 -> "\\u00e9\\u20ac";
                case 2 -> "\\ud83d\\ude00";
                case 3 -> "caf\u00e9 ";
                case 4 -> "\\\\/\\/";
                default -> "plain";
            });
        }
        sb.append("\",\"compressible\":\"").append("the same words again ".repeat(150_000)).append('"');
        sb.append(",\"random\":\"");
        for (int i = 0; i < 2_000_000; i++) {
            sb.append((char) random.nextInt('a', 'z' + 1));
        }
        sb.append("\",\"items\":[");
        for (int i = 0; i < 400_000; i++) {            // an array table far larger than the window
            sb.append(i == 0 ? "" : ",").append(i % 3 == 0 ? "{\"n\":" + i + "}" : Integer.toString(i));
        }
        sb.append("],\"tail\":{\"a\":1,\"b\":[true,null,\"x\"]}}");
        byte[] json = sb.toString().getBytes(StandardCharsets.UTF_8);
        try (Arena arena = Arena.ofConfined(); NativeSpillSpace space = new NativeSpillSpace()) {
            byte[] heap = new BlitWriter().convert(json, 0, json.length).toByteArray();
            BlitWriter writer = new BlitWriter();
            BlitBuilder built = writer.convert(offHeap(arena, json), space);
            assertTrue(built.spilled());
            assertFalse(built.segment().isNative() == false, "the result is the spill space's memory");
            assertArrayEquals(heap, built.toByteArray());
            assertThrows(IllegalStateException.class, built::buffer);

            // Stamping @metadata into a spilling builder (the store's path) gives the heap stamp's bytes too.
            BlitDocument source = new BlitDocument().wrap(heap);
            BlitBuilder heapStamp = new BlitBuilder();
            int n = BlitDocuments.withMetadata(source, "docs/1", "Docs", "A:1-x", "2026-12-02T00:00:00Z", heapStamp);
            try (NativeSpillSpace stampSpace = new NativeSpillSpace()) {
                BlitBuilder spillStamp = new BlitBuilder().spillTo(stampSpace, 0);
                int m = BlitDocuments.withMetadata(source, "docs/1", "Docs", "A:1-x", "2026-12-02T00:00:00Z",
                        spillStamp);
                assertEquals(n, m);
                assertTrue(spillStamp.spilled());
                assertArrayEquals(heapStamp.toByteArray(), spillStamp.toByteArray());
            }
            // A small document after a large one is on the heap again.
            byte[] small = "{\"a\":\"\\n\"}".getBytes(StandardCharsets.UTF_8);
            assertFalse(writer.convert(offHeap(arena, small), space).spilled());
        }
    }

    @Test
    void shouldAllocateAWindowNotTheDocumentWhenConvertingA40MbDocumentIntoSpillSpace() {
        // 40 MB: a 30 MB string full of escapes plus 10 MB of small values.
        StringBuilder sb = new StringBuilder(42 << 20).append("{\"text\":\"");
        String[] units = {"a \\\"quoted\\\" ", "line\\n", "\\u00e9", "\\ud83d\\ude00", "x", "\\t"};
        SplittableRandom random = new SplittableRandom(3);
        while (sb.length() < 30 << 20) {
            sb.append(units[random.nextInt(units.length)]);
        }
        int textEnd = sb.length();
        sb.append("\",\"values\":[");
        for (int i = 0; sb.length() < 40 << 20; i++) {
            sb.append(i == 0 ? "" : ",").append("{\"i\":").append(i).append(",\"s\":\"v").append(i).append("\"}");
        }
        sb.append("]}");
        // The same values without the text: warms the writer's entry tables up to their size for this document.
        byte[] values = ("{\"text\":\"x" + sb.substring(textEnd)).getBytes(StandardCharsets.UTF_8);
        try (Arena arena = Arena.ofConfined(); NativeSpillSpace space = new NativeSpillSpace()) {
            MemorySegment json = offHeap(arena, sb.toString().getBytes(StandardCharsets.UTF_8));
            sb.setLength(0);
            sb.trimToSize();
            BlitWriter writer = new BlitWriter();
            writer.convert(offHeap(arena, values), space); // warm-up: the writer's tables reach their steady size
            var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            long before = threads.getCurrentThreadAllocatedBytes();
            BlitBuilder built = writer.convert(json, space);
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            assertTrue(built.spilled());
            assertTrue(built.length() > 8 << 20, "document of " + built.length() + " bytes");
            assertTrue(allocated < 4 << 20, "converting " + json.byteSize() + " bytes of JSON allocated "
                    + allocated + " bytes of heap");
            BlitDocument doc = new BlitDocument().wrap(built.segment(), 0).validate();
            assertEquals(BlitType.OBJECT, doc.rootType());
        }
    }
}

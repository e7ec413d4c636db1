package dev.blitdb.blittable;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * Converting JSON from an off-heap segment (a spooled request body) gives exactly what converting the same bytes
 * from a heap array gives: the same blittable bytes, or the same error kind, line, column and byte offset.
 */
class SegmentConvertTest {

    private static Object outcome(BlitWriter writer, byte[] json, MemorySegment segment) {
        try {
            return segment == null ? writer.convert(json, 0, json.length).toByteArray()
                    : writer.convert(segment).toByteArray();
        } catch (BlitFormatException e) {
            return e.kind() + " " + e.line() + ":" + e.column() + " @" + e.byteOffset();
        }
    }

    private static void assertSame(byte[] json, Arena arena, BlitWriter writer) {
        MemorySegment segment = arena.allocate(Math.max(1, json.length));
        MemorySegment.copy(json, 0, segment, ValueLayout.JAVA_BYTE, 0, json.length);
        Object fromArray = outcome(writer, json, null);
        Object fromSegment = outcome(writer, json, segment.asSlice(0, json.length));
        if (fromArray instanceof byte[] a) {
            assertArrayEquals(a, (byte[]) fromSegment);
        } else {
            assertEquals(fromArray, fromSegment);
        }
    }

    @Test
    void shouldMatchTheArrayConverterWhenGivenRandomDocumentsAndTheTestSuite() throws IOException {
        BlitWriter writer = new BlitWriter();
        try (Arena arena = Arena.ofConfined()) {
            RandomJson random = new RandomJson(99);
            for (int i = 0; i < 500; i++) {
                assertSame(random.document(6).getBytes(StandardCharsets.UTF_8), arena, writer);
            }
            Path dir = TestData.sharedData().resolve("JSONTestSuite").resolve("test_parsing");
            try (Stream<Path> files = Files.list(dir)) {
                for (Path file : files.sorted().toList()) {
                    assertSame(Files.readAllBytes(file), arena, writer);
                }
            }
        }
    }

    @Test
    void shouldFindBadBytesAndKeepGoodSequencesWhenTheyStraddleA64KiBPiece() {
        BlitWriter writer = new BlitWriter();
        try (Arena arena = Arena.ofConfined()) {
            for (int shift = 0; shift < 4; shift++) {
                // Four-byte characters across the 64 KiB boundary, then (in the second variant) a bad byte later.
                String head = "{\"a\":\"" + "x".repeat((64 << 10) - 6 - 2 + shift);
                String good = head + "\uD83D\uDE00\u00e9\u20ac".repeat(10) + "\",\"b\":[1,2]}";
                assertSame(good.getBytes(StandardCharsets.UTF_8), arena, writer);
                byte[] bad = (head + "\u00e9\u00e9\"\n,\"c\":\"zz\"}").getBytes(StandardCharsets.UTF_8);
                bad[bad.length - 4] = (byte) 0xC0;
                assertSame(bad, arena, writer);
                Object error = outcome(writer, bad, null);
                assertTrue(error.toString().startsWith("INVALID_UTF8 2:"), error.toString());
            }
            byte[] longString = ("{\"s\":\"" + "long plain text ".repeat(200_000) + "\"}").getBytes(StandardCharsets.UTF_8);
            assertSame(longString, arena, writer);
            writer.trim();
            assertSame(List.of(1, 2).toString().getBytes(StandardCharsets.UTF_8), arena, writer);
        }
    }

    @Test
    void shouldReserveALongEscapedStringsExactLengthNotThreeBytesPerChar() {
        // Escapes send the string through Jackson's decoded chars; its UTF-8 room is reserved exactly.
        String text = "line \\n with caf\u00e9, \\\"quotes\\\" and \uD83D\uDE00 ".repeat(60_000);
        byte[] json = ("{\"s\":\"" + text + "\"}").getBytes(StandardCharsets.UTF_8);
        BlitWriter writer = new BlitWriter();
        BlitBuilder built = writer.convert(json, 0, json.length);
        assertTrue(built.buffer().length < 2L * json.length, "builder buffer " + built.buffer().length
                + " bytes for " + json.length + " bytes of JSON");
        BlitDocument doc = new BlitDocument().wrap(built.toByteArray()).validate();
        assertEquals(TestData.tree(json), TestData.tree(BlitJsonWriter.toJson(doc, true)));
        writer.trim();
        byte[] empty = "{}".getBytes(StandardCharsets.UTF_8);
        assertTrue(writer.convert(empty, 0, empty.length).buffer().length <= BlitBuilder.RETAINED_BYTES);
    }
}

package dev.blitdb.cluster.log;

import dev.blitdb.storage.documents.DocumentCommand;
import dev.blitdb.storage.documents.ReplicatedOperation;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LogEntryCodecTest {

    @Test
    void shouldRoundTripEveryOperationKindWithNullsAndNonAsciiIds() {
        byte[] doc = {1, 2, 3, 4, 5};
        LogEntry entry = new LogEntry(1_764_000_000_123L, List.of(
                new ReplicatedOperation.Put("users/ü1", doc, null),
                new ReplicatedOperation.Put("users/2", new byte[0], ""),
                new ReplicatedOperation.Delete("users/3", "A:7-xyz"),
                new ReplicatedOperation.Batch(List.of(new DocumentCommand.Put("b/1", doc, "A:1-x"),
                        new DocumentCommand.Delete("b/2", null))),
                new ReplicatedOperation.ReserveIds("Orders", 32),
                new ReplicatedOperation.PurgeTombstones(1L << 40, 500)));
        byte[] bytes = LogEntryCodec.encode(entry);
        assertEquals('B', bytes[0]);
        assertEquals(1, bytes[1]);
        LogEntry back = LogEntryCodec.decode(ByteBuffer.wrap(bytes));
        assertEquals(entry.timestamp(), back.timestamp());
        assertEquals(6, back.operations().size());
        var put = assertInstanceOf(ReplicatedOperation.Put.class, back.operations().get(0));
        assertEquals("users/ü1", put.id());
        assertArrayEquals(doc, put.blittable().toArray(java.lang.foreign.ValueLayout.JAVA_BYTE));
        assertNull(put.expectedChangeVector());
        assertEquals("", ((ReplicatedOperation.Put) back.operations().get(1)).expectedChangeVector());
        assertEquals("A:7-xyz", ((ReplicatedOperation.Delete) back.operations().get(2)).expectedChangeVector());
        var batch = assertInstanceOf(ReplicatedOperation.Batch.class, back.operations().get(3));
        assertEquals("b/1", ((DocumentCommand.Put) batch.commands().get(0)).id());
        assertNull(((DocumentCommand.Delete) batch.commands().get(1)).expectedChangeVector());
        assertEquals(new ReplicatedOperation.ReserveIds("Orders", 32), back.operations().get(4));
        assertEquals(new ReplicatedOperation.PurgeTombstones(1L << 40, 500), back.operations().get(5));
        assertArrayEquals(bytes, LogEntryCodec.encode(back), "encoding is deterministic");
    }

    @Test
    void shouldDecodeADocumentAsAViewOfTheEntryAndEncodeFromAnOffHeapSegment() {
        try (java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
            var offHeap = arena.allocate(3);
            offHeap.copyFrom(java.lang.foreign.MemorySegment.ofArray(new byte[]{7, 8, 9}));
            byte[] bytes = LogEntryCodec.encode(new LogEntry(9, List.of(new ReplicatedOperation.Put("d/1", offHeap, null))));
            LogEntry back = LogEntryCodec.decode(ByteBuffer.wrap(bytes));
            var put = (ReplicatedOperation.Put) back.operations().get(0);
            assertArrayEquals(new byte[]{7, 8, 9}, put.blittable().toArray(java.lang.foreign.ValueLayout.JAVA_BYTE));
            bytes[bytes.length - 5] = 42; // the last document byte, before the null change vector's -1
            assertEquals(42, put.blittable().get(java.lang.foreign.ValueLayout.JAVA_BYTE, 2), "a view, not a copy");
        }
    }

    @Test
    void shouldRefuseTruncatedOrForeignBytesWithThePosition() {
        byte[] bytes = LogEntryCodec.encode(new LogEntry(5, List.of(new ReplicatedOperation.Delete("a", null))));
        var truncated = assertThrows(IllegalArgumentException.class,
                () -> LogEntryCodec.decode(ByteBuffer.wrap(Arrays.copyOf(bytes, bytes.length - 2))));
        assertTrue(truncated.getMessage().contains("truncated"), truncated.getMessage());
        byte[] foreign = bytes.clone();
        foreign[0] = 'X';
        assertThrows(IllegalArgumentException.class, () -> LogEntryCodec.decode(ByteBuffer.wrap(foreign)));
        byte[] longer = Arrays.copyOf(bytes, bytes.length + 1);
        var trailing = assertThrows(IllegalArgumentException.class, () -> LogEntryCodec.decode(ByteBuffer.wrap(longer)));
        assertTrue(trailing.getMessage().contains("after the last operation"), trailing.getMessage());
    }
}

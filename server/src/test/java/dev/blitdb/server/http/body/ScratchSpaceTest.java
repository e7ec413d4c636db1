package dev.blitdb.server.http.body;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Regions of the scratch file: written, mapped, reused first-fit, and the file emptied when none is in use. */
class ScratchSpaceTest {

    @TempDir
    Path dir;

    private static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + seed);
        }
        return b;
    }

    @Test
    void shouldHandOutReuseAndGiveBackRegionsWhenRequestsComeAndGo() throws Exception {
        Path stale = Files.createFile(dir.resolve("scratch-999999999-1.tmp")); // a process that is gone
        Path mine = Files.createFile(dir.resolve("scratch-" + ProcessHandle.current().pid() + "-0.tmp"));
        try (ScratchSpace scratch = ScratchSpace.open(dir)) {
            assertFalse(Files.exists(stale));
            assertTrue(Files.exists(mine), "a live process's file is left alone");
            ScratchSpace.Region a = scratch.allocate(100_000);
            ScratchSpace.Region b = scratch.allocate(300_000);
            ScratchSpace.Region c = scratch.allocate(1);
            byte[] data = bytes(300_000, 7);
            b.write(data, 100_000);
            b.write(Arrays.copyOfRange(data, 100_000, data.length), 200_000);
            MemorySegment mapped = b.map();
            assertArrayEquals(data, mapped.toArray(ValueLayout.JAVA_BYTE));
            long high = scratch.highWaterBytes();
            b.close();
            ScratchSpace.Region reused = scratch.allocate(200_000); // fits where b was
            assertEquals(high, scratch.highWaterBytes());
            reused.write(bytes(10, 1), 10);
            assertArrayEquals(bytes(10, 1), reused.map().toArray(ValueLayout.JAVA_BYTE));
            a.close();
            c.close();
            assertTrue(Files.size(scratch.path()) > 0);
            reused.close();
            assertEquals(0, scratch.highWaterBytes());
            assertEquals(0, Files.size(scratch.path()), "no region in use: the file is emptied");
            reused.close(); // closing twice is harmless
            assertEquals(0, scratch.highWaterBytes());
        }
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "the server's own file is deleted at close");
        }
    }

    @Test
    void shouldGrowASpillSpaceKeepingItsBytesAndGiveTheFileBackWhenItCloses() throws Exception {
        try (ScratchSpace scratch = ScratchSpace.open(dir)) {
            dev.blitdb.blittable.SpillSpace spill = scratch.spillSpace();
            MemorySegment first = spill.grow(0, 100_000);
            assertTrue(first.byteSize() >= 100_000);
            byte[] data = bytes(100_000, 3);
            MemorySegment.copy(data, 0, first, ValueLayout.JAVA_BYTE, 0, data.length);
            assertEquals(first, spill.grow(100_000, 50_000), "room enough: the same segment");
            MemorySegment grown = spill.grow(100_000, 1_000_000);
            assertTrue(grown.byteSize() >= 1_000_000);
            assertArrayEquals(data, grown.asSlice(0, data.length).toArray(ValueLayout.JAVA_BYTE));
            grown.set(ValueLayout.JAVA_BYTE, 999_999, (byte) 42); // writable to its end
            assertTrue(scratch.highWaterBytes() >= 1_000_000);
            spill.close();
            assertEquals(0, scratch.highWaterBytes());
            assertEquals(0, Files.size(scratch.path()), "the spill space gave its regions back");
            spill.close(); // twice is harmless
        }
    }
}

package dev.blitdb.storage.nativeio;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The native calls against the real kernel (the test JVM runs with native access enabled). */
class NativeIoTest {

    @TempDir
    Path dir;

    private final NativeIo nio = NativeIo.get();

    @Test
    void shouldBindEveryCallWithNativeAccessEnabled() {
        assertTrue(nio.available(), "tests run with --enable-native-access=ALL-UNNAMED");
    }

    @Test
    void shouldAllocateRealBlocksWithPosixFallocate() throws Exception {
        Path f = dir.resolve("f");
        Files.createFile(f);
        OptionalInt fd = nio.openReadWrite(f);
        assertTrue(fd.isPresent());
        try {
            assertEquals(0, nio.posixFallocate(fd.getAsInt(), 0, 1 << 20).getAsInt());
            assertEquals(0, nio.posixFadvise(fd.getAsInt(), 0, 1 << 20, NativeIo.POSIX_FADV_DONTNEED).getAsInt());
        } finally {
            assertEquals(0, nio.close(fd.getAsInt()));
        }
        assertEquals(1 << 20, Files.size(f));
        // A bad descriptor comes back as an error number, not an exception (posix_fallocate returns it).
        assertEquals(9 /* EBADF */, nio.posixFallocate(-1, 0, 4096).getAsInt());
    }

    @Test
    void shouldAdviseAMappingAndReportErrnoForABadRange() throws Exception {
        Path f = dir.resolve("m");
        Files.write(f, new byte[1 << 16]);
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ); Arena arena = Arena.ofConfined()) {
            MemorySegment m = ch.map(FileChannel.MapMode.READ_ONLY, 0, 1 << 16, arena);
            assertEquals(0, nio.madvise(m.address(), 1 << 16, NativeIo.MADV_WILLNEED).getAsInt());
            assertEquals(0, nio.madvise(m.address(), 1 << 16, NativeIo.MADV_RANDOM).getAsInt());
            assertEquals(22 /* EINVAL: unaligned */, nio.madvise(m.address() + 1, 10, NativeIo.MADV_WILLNEED).getAsInt());
        }
    }

    @Test
    void shouldLowerAThreadsNiceValueAndReadItBack() throws Exception {
        AtomicReference<String> result = new AtomicReference<>();
        Thread t = Thread.ofPlatform().start(() -> {
            try {
                int tid = nio.gettid().getAsInt();
                int rc = nio.setThreadNice(tid, 7).getAsInt();
                String stat = Files.readString(Path.of("/proc/self/task/" + tid + "/stat"));
                // Fields after "(comm) ": state is field 3, nice is field 19.
                String nice = stat.substring(stat.lastIndexOf(')') + 2).split(" ")[16];
                result.set(rc + "/" + nio.threadNice(tid).orElse(-100) + "/" + nice);
            } catch (Exception e) {
                result.set(e.toString());
            }
        });
        t.join();
        assertEquals("0/7/7", result.get());
    }
}

package dev.blitdb.storage.engine;

import dev.blitdb.storage.nativeio.NativeIo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A durable commit writes (about) the pages it changed, not the page-cache folios around them. On Linux 6.16+ ext4
 * caches a file read with read-ahead in large folios (up to 2 MiB), and writeback writes a dirty folio whole; the
 * store evicts the file's cache at open and maps it with {@link Advice#RANDOM}, so its pages come back one by one.
 * Measured with the kernel's count of bytes this process caused to be written ({@code /proc/self/io}).
 */
class CommitWriteVolumeTest {

    @TempDir
    Path dir;

    @Test
    void shouldWriteOnlyTheChangedPagesEvenAfterTheFileWasReadWithReadAhead() throws Exception {
        assumeTrue(writeBytes() >= 0, "needs /proc/self/io");
        assumeTrue(NativeIo.get().available("posix_fadvise"), "needs posix_fadvise");
        int keys = 8000;
        byte[] value = new byte[1500]; // inline: two values per leaf, so the leaves spread over ~24 MB
        try (Store store = Store.open(dir, StoreOptions.defaults().withMinGrowth(32 << 20))) {
            try (WriteTxn w = store.beginWrite()) {
                for (int i = 0; i < keys; i++) {
                    w.put("t", key(i), value);
                }
                w.commit();
            }
        }
        // Evict the file, then read it whole as a backup or `cp` would: with read-ahead, into large folios where the
        // kernel has them (6.16+ ext4: a 16 MB file read this way made 20 changed pages write 1.3 MB).
        Path file = dir.resolve(Store.FILE_NAME);
        int fd = NativeIo.get().openReadWrite(file).orElseThrow();
        try {
            assertEquals(0, NativeIo.get().posixFadvise(fd, 0, 0, NativeIo.POSIX_FADV_DONTNEED).orElseThrow());
        } finally {
            NativeIo.get().close(fd);
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
            while (ch.read(buf) > 0) {
                buf.clear();
            }
        }
        try (Store store = Store.open(dir, StoreOptions.defaults().withMinGrowth(32 << 20))) {
            Random random = new Random(7);
            long written = Long.MAX_VALUE;
            for (int round = 0; round < 3; round++) { // the least of three: other threads of this JVM may write
                long before = writeBytes();
                int changed = 0;
                try (WriteTxn w = store.beginWrite()) {
                    for (int i = 0; i < 20; i++) {
                        w.put("t", key(random.nextInt(keys)), new byte[1500]);
                        changed++;
                    }
                    w.commit();
                }
                assertEquals(20, changed);
                written = Math.min(written, writeBytes() - before);
            }
            // 20 leaves + their branches + root + catalog + meta: ~45 pages (measured 140 KB). Without the eviction
            // and RANDOM advice this file's folios made the same commit write 530 KB (2 MiB folios: megabytes).
            System.out.println("CommitWriteVolumeTest: a commit of 20 scattered changes wrote " + written + " bytes");
            assertTrue(written < 320 * 1024, "a commit of 20 scattered changes wrote " + written + " bytes");
            store.verify();
        }
    }

    private static byte[] key(int i) {
        return String.format("key-%08d", i).getBytes();
    }

    /** Bytes this process caused to be written to storage, or -1 where the kernel does not say. */
    private static long writeBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/io"))) {
                if (line.startsWith("write_bytes:")) {
                    return Long.parseLong(line.substring("write_bytes:".length()).trim());
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}

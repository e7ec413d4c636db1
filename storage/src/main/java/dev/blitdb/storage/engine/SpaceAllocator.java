package dev.blitdb.storage.engine;

import dev.blitdb.storage.nativeio.NativeIo;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.OptionalInt;

/**
 * Reserves real disk blocks for a range of the data file. The default uses {@code posix_fallocate}; tests inject
 * one that fails to simulate a full disk.
 */
@FunctionalInterface
public interface SpaceAllocator {

    /**
     * Makes {@code [offset, offset + length)} of the file allocated, extending it.
     *
     * @throws IOException when the space is not available (the message says why, e.g. ENOSPC)
     */
    void allocate(Path file, FileChannel channel, long offset, long length) throws IOException;

    /**
     * The default: {@code posix_fallocate} (a full disk is an error before anything is written), or writing zeros
     * when it is unavailable (also a real allocation).
     */
    static SpaceAllocator standard() {
        return SpaceAllocator::fallocate;
    }

    /**
     * {@code posix_fallocate}, then zeros written over the new range. On ext4 and XFS {@code posix_fallocate}
     * leaves <em>unwritten</em> extents whose first write is a metadata change; writing zeros at growth makes them
     * plain written blocks. Measured on this project's machine (bench/results/commit.md) it made young-store
     * durable inserts slower (0.59x), not faster, so it is not the default; it is kept for file systems where
     * it pays.
     */
    static SpaceAllocator zeroFilled() {
        return (file, channel, offset, length) -> {
            if (fallocate(file, channel, offset, length)) {
                writeZeros(file, channel, offset, length);
            }
        };
    }

    /** Reserves the range; returns true if it still needs writing (false: it was written with zeros already). */
    private static boolean fallocate(Path file, FileChannel channel, long offset, long length) throws IOException {
        NativeIo nio = NativeIo.get();
        OptionalInt fd = nio.available("posix_fallocate") ? nio.openReadWrite(file) : OptionalInt.empty();
        if (fd.isPresent()) {
            int rc;
            try {
                rc = nio.posixFallocate(fd.getAsInt(), offset, length).orElse(NativeIo.EOPNOTSUPP);
            } finally {
                nio.close(fd.getAsInt());
            }
            if (rc == 0) {
                return true;
            }
            if (rc == NativeIo.ENOSPC || rc == NativeIo.EDQUOT || rc == NativeIo.EFBIG) {
                throw new IOException("posix_fallocate failed with errno " + rc
                        + (rc == NativeIo.ENOSPC ? " (ENOSPC: no space left on device)"
                        : rc == NativeIo.EDQUOT ? " (EDQUOT: disk quota exceeded)" : " (EFBIG: file too large)"));
            }
            if (rc != NativeIo.EOPNOTSUPP) {
                throw new IOException("posix_fallocate failed with errno " + rc);
            }
            // The file system cannot preallocate: fall through to writing zeros.
        }
        writeZeros(file, channel, offset, length);
        return false;
    }

    private static void writeZeros(Path file, FileChannel channel, long offset, long length) throws IOException {
        ByteBuffer zeros = ByteBuffer.allocateDirect(1 << 20);
        long pos = offset;
        long end = offset + length;
        while (pos < end) {
            zeros.clear().limit((int) Math.min(zeros.capacity(), end - pos));
            pos += channel.write(zeros, pos);
        }
        // Big buffered writes fill the page cache with large folios, which a later one-page change would make the
        // commit write whole (see Store.dropCachedPages): write the zeros out and drop them from the cache.
        NativeIo nio = NativeIo.get();
        if (nio.available("posix_fadvise")) {
            channel.force(false);
            OptionalInt fd = nio.openReadWrite(file);
            if (fd.isPresent()) {
                try {
                    nio.posixFadvise(fd.getAsInt(), offset, length, NativeIo.POSIX_FADV_DONTNEED);
                } finally {
                    nio.close(fd.getAsInt());
                }
            }
        }
    }
}

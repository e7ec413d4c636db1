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

    /** {@code posix_fallocate}, or writing zeros when native access is unavailable (also a real allocation). */
    static SpaceAllocator standard() {
        return (file, channel, offset, length) -> {
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
                    return;
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
            writeZeros(channel, offset, length);
        };
    }

    private static void writeZeros(FileChannel channel, long offset, long length) throws IOException {
        ByteBuffer zeros = ByteBuffer.allocateDirect(1 << 20);
        long pos = offset;
        long end = offset + length;
        while (pos < end) {
            zeros.clear().limit((int) Math.min(zeros.capacity(), end - pos));
            pos += channel.write(zeros, pos);
        }
    }
}

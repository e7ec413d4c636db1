package dev.blitdb.storage.backup;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;

/**
 * Keeps the average write rate at or below a limit (like {@code pg_basebackup --max-rate}), so a backup does not
 * take the whole disk from the database it copies. Sleeps are interruptible: cancelling the operation stops it.
 */
public final class RateLimitedChannel implements WritableByteChannel {

    private final WritableByteChannel out;
    private final long bytesPerSecond;
    private final long start = System.nanoTime();
    private long written;

    public RateLimitedChannel(WritableByteChannel out, long bytesPerSecond) {
        if (bytesPerSecond <= 0) {
            throw new IllegalArgumentException("bytesPerSecond must be positive, was " + bytesPerSecond);
        }
        this.out = out;
        this.bytesPerSecond = bytesPerSecond;
    }

    /** {@code target} with every file it creates limited to {@code bytesPerSecond} (0 = no limit). */
    public static BackupFiles.Target limit(BackupFiles.Target target, long bytesPerSecond) {
        return bytesPerSecond <= 0 ? target : file -> new RateLimitedChannel(target.create(file), bytesPerSecond);
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        int n = out.write(src);
        written += n;
        long dueNanos = (long) (written * 1e9 / bytesPerSecond);
        long aheadMillis = (dueNanos - (System.nanoTime() - start)) / 1_000_000;
        if (aheadMillis > 0) {
            try {
                Thread.sleep(aheadMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("backup interrupted after " + written + " bytes");
            }
        }
        return n;
    }

    @Override
    public boolean isOpen() {
        return out.isOpen();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}

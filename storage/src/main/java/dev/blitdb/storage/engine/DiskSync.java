package dev.blitdb.storage.engine;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;

/**
 * The two calls that make the data file's bytes durable. Every sync of the store goes through one of them, so a
 * test can record what each sync made durable and simulate a power cut (the power-loss tests do); production uses
 * {@link #SYSTEM}, a constant the JIT inlines.
 */
public interface DiskSync {

    /** {@code msync(MS_SYNC)} of {@code [offset, offset + length)} of the mapping {@code map}. */
    void syncRange(MemorySegment map, long offset, long length);

    /** {@code fsync} of the whole file, data and metadata (its size after growth). */
    void syncFile(FileChannel channel) throws IOException;

    /** The real calls: {@link MemorySegment#force()} on the slice, {@link FileChannel#force(boolean) force(true)}. */
    DiskSync SYSTEM = new DiskSync() {
        @Override
        public void syncRange(MemorySegment map, long offset, long length) {
            map.asSlice(offset, length).force();
        }

        @Override
        public void syncFile(FileChannel channel) throws IOException {
            channel.force(true);
        }
    };
}

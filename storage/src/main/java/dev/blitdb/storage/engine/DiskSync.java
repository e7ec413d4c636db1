package dev.blitdb.storage.engine;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The calls that make the store's bytes durable (data file and write-ahead log). Every sync of the store goes through one of them, so a
 * test can record what each sync made durable and simulate a power cut (the power-loss tests do); production uses
 * {@link #SYSTEM}, a constant the JIT inlines.
 */
public interface DiskSync {

    /** {@code msync(MS_SYNC)} of {@code [offset, offset + length)} of the mapping {@code map}. */
    void syncRange(MemorySegment map, long offset, long length);

    /** {@code fsync} of the whole file, data and metadata (its size after growth). */
    void syncFile(FileChannel channel) throws IOException;

    /** {@code fdatasync} of a write-ahead log file (its records; its size only where reading them needs it). */
    default void syncLog(Path file, FileChannel channel) throws IOException {
        channel.force(false);
    }

    /** {@code fsync} of a folder: the files created or deleted in it stay created or deleted after a power loss. */
    default void syncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Some file systems refuse to open or sync a folder; nothing more can be done there.
            if (!(e instanceof java.nio.file.NoSuchFileException)) {
                System.getLogger(DiskSync.class.getName()).log(System.Logger.Level.DEBUG,
                        "cannot sync folder " + dir, e);
            }
        }
    }

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

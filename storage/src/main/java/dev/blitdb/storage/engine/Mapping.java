package dev.blitdb.storage.engine;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One mapping of the whole data file, in its own shared arena. Reference counted: the store holds one reference
 * while this is its current mapping, and every snapshot opened on it holds one. The arena is closed (the file
 * unmapped) when the count reaches zero, so growth never pulls a mapping from under a reader.
 */
final class Mapping {

    private final Arena arena;
    final MemorySegment segment;
    private final AtomicInteger refs = new AtomicInteger(1);

    private Mapping(Arena arena, MemorySegment segment) {
        this.arena = arena;
        this.segment = segment;
    }

    static Mapping map(FileChannel channel, long size) throws IOException {
        Arena arena = Arena.ofShared();
        try {
            return new Mapping(arena, channel.map(FileChannel.MapMode.READ_WRITE, 0, size, arena));
        } catch (IOException | RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    /**
     * A private (copy-on-write) mapping of the file: writes stay in this process's memory and never reach the
     * file. Opening replays the log into one first, so a log that does not lead to a consistent state leaves the
     * file untouched.
     */
    static Mapping mapPrivate(FileChannel channel, long size) throws IOException {
        Arena arena = Arena.ofShared();
        try {
            return new Mapping(arena, channel.map(FileChannel.MapMode.PRIVATE, 0, size, arena));
        } catch (IOException | RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    void retain() {
        refs.incrementAndGet();
    }

    void release() {
        if (refs.decrementAndGet() == 0) {
            arena.close();
        }
    }

    boolean isOpen() {
        return arena.scope().isAlive();
    }
}

package dev.blitdb.blittable;

import java.lang.foreign.MemorySegment;

/**
 * Off-heap room a {@link BlitBuilder} moves a large document into while building it (FORMAT.md §14), so the
 * heap holds a bounded window instead of the whole document. One document at a time; not thread-safe.
 * Implementations: {@link NativeSpillSpace} (native memory) and the server's mapped scratch file.
 */
public interface SpillSpace extends AutoCloseable {

    /**
     * A writable segment of at least {@code capacity} bytes whose first {@code keep} bytes are those of the segment
     * this space returned last (none on the first call). Segments returned earlier are invalid afterwards.
     */
    MemorySegment grow(long keep, long capacity);

    /** Gives the memory back; every segment this space returned is invalid afterwards. */
    @Override
    void close();
}

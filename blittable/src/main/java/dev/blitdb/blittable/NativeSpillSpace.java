package dev.blitdb.blittable;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * A {@link SpillSpace} in native memory (one shared arena per segment, freed when it is outgrown or the space is
 * closed). For builders that have no scratch file, such as the store's metadata stamping. Growth doubles, so a
 * document of n bytes costs at most 2n of native memory and about n of copying.
 */
public final class NativeSpillSpace implements SpillSpace {
    private Arena arena;
    private MemorySegment segment;

    @Override
    public MemorySegment grow(long keep, long capacity) {
        if (segment != null && segment.byteSize() >= capacity) {
            return segment;
        }
        long size = Math.max(capacity, segment == null ? 1 << 20 : segment.byteSize() * 2);
        Arena next = Arena.ofShared();
        MemorySegment grown = next.allocate(size, 16);
        if (segment != null && keep > 0) {
            MemorySegment.copy(segment, 0, grown, 0, keep);
        }
        close();
        arena = next;
        segment = grown;
        return grown;
    }

    @Override
    public void close() {
        if (arena != null) {
            arena.close();
            arena = null;
            segment = null;
        }
    }
}

package dev.blitdb.server.http.body;

import java.lang.foreign.MemorySegment;

import dev.blitdb.blittable.SpillSpace;

/**
 * One request's body, held until {@link #close()}: a small body in a heap array, a large one in a region of the
 * server's {@link ScratchSpace} mapped read-only, with read-write room in the same file for the blittable document
 * built from it ({@link #spillSpace()}). A large body also holds its {@link LargeRequestBudget.Grant} — for the
 * heap its conversion needs — until close. Not thread-safe; close it when the request is done with it
 * (after its write has committed).
 */
public final class RequestBody implements AutoCloseable {

    private final MemorySegment segment;
    private final ScratchSpace.Region region;
    private final LargeRequestBudget.Grant grant;
    private SpillSpace spill;

    RequestBody(MemorySegment segment, ScratchSpace.Region region, LargeRequestBudget.Grant grant) {
        this.segment = segment;
        this.region = region;
        this.grant = grant;
    }

    /** The body's bytes; valid until {@link #close()}. */
    public MemorySegment segment() {
        return segment;
    }

    public long length() {
        return segment.byteSize();
    }

    /** True when the body sits in mapped scratch space rather than on the heap. */
    public boolean spooled() {
        return region != null;
    }

    /**
     * Where a large document converted from this body is built (FORMAT.md §14): read-write room in the same
     * scratch file, given back at {@link #close()}; null for a body that was not spooled (its document is small,
     * or there is no scratch space).
     */
    public SpillSpace spillSpace() {
        if (spill == null && region != null) {
            spill = region.scratch().spillSpace();
        }
        return spill;
    }

    @Override
    public void close() {
        if (spill != null) {
            spill.close();
        }
        if (region != null) {
            region.close();
        }
        if (grant != null) {
            grant.close();
        }
    }
}

package dev.blitdb.server.http.body;

import java.lang.foreign.MemorySegment;

/**
 * One request's body, held until {@link #close()}: a small body in a heap array, a large one in a region of the
 * server's {@link ScratchSpace} mapped read-only. A large body also holds its {@link LargeRequestBudget.Grant} —
 * for the heap its conversion needs — until close. Not thread-safe; close it when the request is done with it
 * (after its write has committed).
 */
public final class RequestBody implements AutoCloseable {

    private final MemorySegment segment;
    private final ScratchSpace.Region region;
    private final LargeRequestBudget.Grant grant;

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

    @Override
    public void close() {
        if (region != null) {
            region.close();
        }
        if (grant != null) {
            grant.close();
        }
    }
}

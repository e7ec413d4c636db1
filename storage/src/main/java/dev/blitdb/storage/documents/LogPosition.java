package dev.blitdb.storage.documents;

/**
 * A position in a replicated log: the Raft term and index of the last entry a store has applied, committed in the
 * same store commit as that entry's writes. {@link #NONE} for a store that has applied nothing.
 */
public record LogPosition(long term, long index) {

    public static final LogPosition NONE = new LogPosition(0, 0);
}

package dev.blitdb.cluster.raft;

/**
 * When a group snapshots its state machine and how its Raft log is cut up, so the log is purged behind snapshots.
 *
 * @param thresholdEntries a snapshot is taken once this many log entries were applied since the last one; the log
 *                         is then purged up to the snapshot (whole closed segments only)
 * @param segmentBytes     size of one Raft log segment file: the unit of purging
 * @param keptEntries      entries kept in the log behind the snapshot, so a follower that was away briefly catches
 *                         up from the log instead of by a snapshot install
 */
public record SnapshotPolicy(long thresholdEntries, long segmentBytes, long keptEntries) {

    /**
     * 10 000 entries (an entry carries up to 1024 writes), 8 MiB segments, 1024 entries kept: a snapshot copies the
     * whole store, so it is taken rarely enough that copying stays a small share of the write work.
     */
    public static final SnapshotPolicy DEFAULT = new SnapshotPolicy(10_000, 8L << 20, 1024);

    public SnapshotPolicy {
        if (thresholdEntries < 1) {
            throw new IllegalArgumentException("snapshot threshold must be at least 1 entry, was " + thresholdEntries);
        }
        if (segmentBytes < (64 << 10)) {
            throw new IllegalArgumentException("Raft log segment size must be at least 64 KiB, was " + segmentBytes);
        }
        if (keptEntries < 0) {
            throw new IllegalArgumentException("entries kept behind a snapshot must be >= 0, was " + keptEntries);
        }
    }

    /** From {@code threshold[:segmentKiB[:kept]]}, e.g. {@code 10000:8192:1024}. */
    public static SnapshotPolicy parse(String text) {
        String[] parts = text.split(":");
        if (parts.length < 1 || parts.length > 3) {
            throw new IllegalArgumentException("snapshot policy must be threshold[:segmentKiB[:keptEntries]], e.g. "
                    + "10000:8192:1024, not '" + text + "'");
        }
        try {
            long threshold = Long.parseLong(parts[0].trim());
            long segment = parts.length > 1 ? Long.parseLong(parts[1].trim()) << 10 : DEFAULT.segmentBytes;
            long kept = parts.length > 2 ? Long.parseLong(parts[2].trim()) : Math.min(DEFAULT.keptEntries, threshold);
            return new SnapshotPolicy(threshold, segment, kept);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("snapshot policy must be threshold[:segmentKiB[:keptEntries]] in "
                    + "numbers, e.g. 10000:8192:1024, not '" + text + "'");
        }
    }
}

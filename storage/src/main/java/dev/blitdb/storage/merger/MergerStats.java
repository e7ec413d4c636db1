package dev.blitdb.storage.merger;

/**
 * Counters of a merger since it started.
 *
 * @param commits    transactions committed
 * @param operations operations that succeeded and committed
 * @param rejected   operations that failed alone (their own error)
 * @param replays    transactions aborted and re-applied because an operation failed after changing pages
 */
public record MergerStats(long commits, long operations, long rejected, long replays) {

    /** Average operations per commit: how much group commit is saving. */
    public double operationsPerCommit() {
        return commits == 0 ? 0 : (double) operations / commits;
    }
}

package dev.blitdb.cluster.raft;

/**
 * A write was proposed to the Raft log but its fate is unknown: the leader lost leadership or the majority before
 * the entry was known committed. It may still be applied (by the next leader) or never. Retrying blindly could
 * apply it twice; a client should read back (or use If-Match) before retrying.
 */
public final class WriteOutcomeUnknownException extends RuntimeException {

    public WriteOutcomeUnknownException(String message, Throwable cause) {
        super(message, cause);
    }
}

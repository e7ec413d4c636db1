package dev.blitdb.cluster.raft;

/** A linearizable read could not be served: no leader reachable, or the read index did not arrive in time. */
public final class ReadBarrierException extends RuntimeException {

    public ReadBarrierException(String message, Throwable cause) {
        super(message, cause);
    }
}

package dev.blitdb.cluster.topology;

/** A membership change that is refused before anything changed, and why (the server maps the reason to a status). */
public final class MembershipChangeException extends RuntimeException {

    /** Why a change is refused. */
    public enum Reason {
        /** The node to remove is not a member (404). */
        UNKNOWN_NODE,
        /** The node to add is a member already, or its address is another member's (409). */
        DUPLICATE_NODE,
        /** The change would leave no node (409). */
        LAST_NODE,
        /** Too few of the remaining nodes answer to form a majority of the new membership (409). */
        NO_MAJORITY
    }

    private final Reason reason;

    public MembershipChangeException(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}

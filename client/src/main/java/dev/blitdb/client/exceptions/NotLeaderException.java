package dev.blitdb.client.exceptions;

/**
 * HTTP 421 {@code NotLeader}: a cluster node refused a write because another node leads the database; nothing was
 * written. The request executor follows it to the leader by itself; this is thrown only when no leader answered
 * in time (an election that does not finish, or a cluster without a majority).
 */
public class NotLeaderException extends BlitDbException {

    private final String leaderUrl;

    public NotLeaderException(String message, String leaderUrl) {
        super(message, null);
        this.leaderUrl = leaderUrl;
    }

    /** The leader's URL as the node knew it, or null during an election. */
    public String leaderUrl() {
        return leaderUrl;
    }
}

package dev.blitdb.cluster.raft;

/**
 * A write reached a node that is not its database group's leader; nothing was proposed, so the client may send it
 * to the leader. {@code leaderId}/{@code leaderUrl} are null while no leader is known (an election is running).
 */
public final class NotLeaderException extends RuntimeException {

    private final String database;
    private final String leaderId;
    private final String leaderUrl;

    public NotLeaderException(String database, String selfId, String leaderId, String leaderUrl) {
        super("node " + selfId + " is not the leader of database '" + database + "'; "
                + (leaderUrl == null ? "no leader is known yet (an election is under way): retry shortly"
                : "send writes to node " + leaderId + " at " + leaderUrl));
        this.database = database;
        this.leaderId = leaderId;
        this.leaderUrl = leaderUrl;
    }

    public String database() {
        return database;
    }

    public String leaderId() {
        return leaderId;
    }

    public String leaderUrl() {
        return leaderUrl;
    }
}

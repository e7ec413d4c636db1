package dev.blitdb.cluster.topology;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What a runtime membership change may do, checked before anything changes. Ratis changes a group's membership
 * by joint consensus: the change commits only with a majority of the old members and of the new ones, so a
 * removal that leaves too few reachable nodes for a majority would hang every group; it is refused up front.
 */
public final class MembershipRules {

    private MembershipRules() {
    }

    /** The membership with {@code added}; refused when its id or one of its addresses is taken. */
    public static ClusterSpec adding(ClusterSpec spec, ClusterMember added) {
        for (ClusterMember m : spec.members()) {
            if (m.id().toLowerCase(Locale.ROOT).equals(added.id().toLowerCase(Locale.ROOT))) {
                throw new MembershipChangeException(MembershipChangeException.Reason.DUPLICATE_NODE,
                        "node " + added.id() + " is already a member (" + m.spec() + ")");
            }
            if (m.raftAddress().equals(added.raftAddress()) || m.url().equals(added.url())) {
                throw new MembershipChangeException(MembershipChangeException.Reason.DUPLICATE_NODE,
                        "node " + added.id() + " would use the address of member " + m.id() + " (" + m.spec() + ")");
            }
        }
        return spec.with(added);
    }

    /**
     * The members left after removing {@code id}, given which members answer now ({@code reachable}, this node
     * included). Refused when {@code id} is unknown, when it is the last member, or when fewer than a majority of
     * the remaining members answer.
     */
    public static List<ClusterMember> removing(ClusterSpec spec, String id, Set<String> reachable) {
        if (spec.member(id).isEmpty()) {
            throw new MembershipChangeException(MembershipChangeException.Reason.UNKNOWN_NODE,
                    "node " + id + " is not a member; members are " + ids(spec.members()));
        }
        List<ClusterMember> remaining = spec.members().stream().filter(m -> !m.id().equals(id)).toList();
        if (remaining.isEmpty()) {
            throw new MembershipChangeException(MembershipChangeException.Reason.LAST_NODE,
                    "node " + id + " is the last member: a cluster cannot remove its last node");
        }
        List<ClusterMember> answering = remaining.stream().filter(m -> reachable.contains(m.id())).toList();
        if (answering.size() <= remaining.size() / 2) {
            throw new MembershipChangeException(MembershipChangeException.Reason.NO_MAJORITY,
                    "removing node " + id + " would leave " + ids(remaining) + ", of which only " + ids(answering)
                            + " answer: no majority to commit the change; bring the others back first");
        }
        return remaining;
    }

    private static List<String> ids(List<ClusterMember> members) {
        return members.stream().map(ClusterMember::id).toList();
    }
}

package dev.blitdb.cluster.topology;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ClusterMembershipRulesTest {

    private final ClusterSpec three = ClusterSpec.parse("A",
            "A=127.0.0.1:8080:9080,B=127.0.0.1:8081:9081,C=127.0.0.1:8082:9082");

    private static MembershipChangeException.Reason refusal(Runnable change) {
        return assertThrows(MembershipChangeException.class, change::run).reason();
    }

    @Test
    void shouldAddANewNodeAtTheEnd() {
        ClusterSpec four = MembershipRules.adding(three, ClusterMember.parse("D=127.0.0.1:8083:9083"));
        assertEquals(List.of("A", "B", "C", "D"), four.members().stream().map(ClusterMember::id).toList());
        assertEquals("A=127.0.0.1:8080:9080,B=127.0.0.1:8081:9081,C=127.0.0.1:8082:9082,D=127.0.0.1:8083:9083",
                four.format());
    }

    @Test
    void shouldRefuseADuplicateIdOrAddress() {
        assertEquals(MembershipChangeException.Reason.DUPLICATE_NODE,
                refusal(() -> MembershipRules.adding(three, ClusterMember.parse("b=127.0.0.1:8090:9090"))));
        assertEquals(MembershipChangeException.Reason.DUPLICATE_NODE,
                refusal(() -> MembershipRules.adding(three, ClusterMember.parse("D=127.0.0.1:8083:9081"))));
    }

    @Test
    void shouldRemoveAMemberWhileAMajorityOfTheRestAnswers() {
        assertEquals(List.of("A", "C"), MembershipRules.removing(three, "B", Set.of("A", "C")).stream()
                .map(ClusterMember::id).toList());
        // The down node itself can go: the two that remain both answer.
        assertEquals(2, MembershipRules.removing(three, "B", Set.of("A", "C")).size());
    }

    @Test
    void shouldRefuseUnknownLastAndMajorityBreakingRemovals() {
        assertEquals(MembershipChangeException.Reason.UNKNOWN_NODE,
                refusal(() -> MembershipRules.removing(three, "Z", Set.of("A", "B", "C"))));
        ClusterSpec one = ClusterSpec.parse("A", "A=127.0.0.1:8080:9080");
        assertEquals(MembershipChangeException.Reason.LAST_NODE,
                refusal(() -> MembershipRules.removing(one, "A", Set.of("A"))));
        // B is down: removing C would leave A and B with only A answering.
        assertEquals(MembershipChangeException.Reason.NO_MAJORITY,
                refusal(() -> MembershipRules.removing(three, "C", Set.of("A", "C"))));
    }
}

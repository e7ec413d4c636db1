package dev.blitdb.cluster.topology;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClusterSpecTest {

    @Test
    void shouldParseMembersAndFindSelfAndPeers() {
        ClusterSpec spec = ClusterSpec.parse("B", "A=127.0.0.1:8080:9080, B=127.0.0.1:8081:9081,C=[::1]:8082:9082");
        assertEquals(3, spec.members().size());
        assertEquals(8081, spec.self().httpPort());
        assertEquals(9081, spec.self().raftPort());
        assertEquals("http://[::1]:8082", spec.member("C").orElseThrow().url());
        assertEquals("[::1]:9082", spec.member("C").orElseThrow().raftAddress());
        assertEquals(2, spec.peers().size());
    }

    @Test
    void shouldExplainWhatIsWrongWithABadSpec() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ClusterSpec.parse("D", "A=h:1:2"))
                .getMessage().contains("not one of the --cluster members"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ClusterSpec.parse("A", "A=h:1:2,a=h:3:4"))
                .getMessage().contains("twice"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ClusterSpec.parse("A", "A=h:1"))
                .getMessage().contains("host:httpPort:raftPort"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ClusterSpec.parse("A", "A=h:0:2"))
                .getMessage().contains("HTTP port"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ClusterSpec.parse("A", "A=h:x:2"))
                .getMessage().contains("numbers"));
        assertThrows(IllegalArgumentException.class, () -> ClusterSpec.parse(null, "A=h:1:2"));
    }
}

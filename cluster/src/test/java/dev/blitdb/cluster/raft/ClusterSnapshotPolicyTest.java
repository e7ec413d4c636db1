package dev.blitdb.cluster.raft;

import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClusterSnapshotPolicyTest {

    @Test
    void shouldParseThresholdSegmentAndKeptEntries() {
        assertEquals(new SnapshotPolicy(100, 64 << 10, 0), SnapshotPolicy.parse("100:64:0"));
        assertEquals(new SnapshotPolicy(5000, SnapshotPolicy.DEFAULT.segmentBytes(), 1024), SnapshotPolicy.parse("5000"));
        // Kept entries default to at most the threshold.
        assertEquals(200, SnapshotPolicy.parse("200:128").keptEntries());
    }

    @Test
    void shouldRefuseNonsense() {
        assertThrows(IllegalArgumentException.class, () -> SnapshotPolicy.parse("0"));
        assertThrows(IllegalArgumentException.class, () -> SnapshotPolicy.parse("100:1"));
        assertThrows(IllegalArgumentException.class, () -> SnapshotPolicy.parse("100:64:-1"));
        assertThrows(IllegalArgumentException.class, () -> SnapshotPolicy.parse("many"));
        assertThrows(IllegalArgumentException.class, () -> SnapshotPolicy.parse("1:2:3:4"));
    }

    @Test
    void shouldTurnOnSnapshotsPurgeAndInstallInRatis() {
        RaftProperties p = new RaftProperties();
        RaftNode.snapshotProperties(p, new SnapshotPolicy(100, 64 << 10, 10));
        // The state machine triggers its own background copies (DatabaseStateMachine): Ratis's trigger is off.
        assertFalse(RaftServerConfigKeys.Snapshot.autoTriggerEnabled(p));
        assertEquals(1, RaftServerConfigKeys.Snapshot.creationGap(p));
        assertEquals(2, RaftServerConfigKeys.Snapshot.retentionFileNum(p));
        assertTrue(RaftServerConfigKeys.Log.purgeUptoSnapshotIndex(p));
        assertEquals(10, RaftServerConfigKeys.Log.purgePreservationLogNum(p));
        assertEquals(64 << 10, RaftServerConfigKeys.Log.segmentSizeMax(p).getSize());
        assertTrue(RaftServerConfigKeys.Log.Appender.installSnapshotEnabled(p));
    }
}

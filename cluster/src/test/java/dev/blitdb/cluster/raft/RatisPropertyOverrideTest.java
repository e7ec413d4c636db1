package dev.blitdb.cluster.raft;

import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.junit.jupiter.api.Test;

import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class RatisPropertyOverrideTest {

    @Test
    void shouldPassPrefixedSystemPropertiesToRatisOverOurSettings() {
        RaftProperties p = new RaftProperties();
        RaftServerConfigKeys.Log.setLogMetadataEnabled(p, false);
        Properties system = new Properties();
        system.setProperty("blitdb.ratis.raft.server.log.appender.wait-time.min", "5ms");
        system.setProperty("blitdb.ratis.raft.server.log.log-metadata.enabled", "true");
        system.setProperty("blitdb.raft.maxInFlight", "3"); // ours, not Ratis's
        system.setProperty("blitdb.ratis.", "ignored");      // no key after the prefix
        RaftNode.overrideProperties(p, system);

        assertEquals(5, RaftServerConfigKeys.Log.Appender.waitTimeMin(p).toLong(TimeUnit.MILLISECONDS));
        assertEquals(true, RaftServerConfigKeys.Log.logMetadataEnabled(p));
        assertNull(p.get("maxInFlight"));
        assertNull(p.get(""));
    }
}

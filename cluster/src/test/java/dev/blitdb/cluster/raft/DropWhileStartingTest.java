package dev.blitdb.cluster.raft;

import dev.blitdb.cluster.topology.ClusterSpec;
import dev.blitdb.storage.documents.DocumentStore;
import dev.blitdb.storage.engine.Durability;
import dev.blitdb.storage.engine.StoreOptions;
import dev.blitdb.storage.merger.MergerOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A database dropped while its node starts (a drop from another node reaches the HTTP port, which opens before the
 * Raft server): its group's folder, kept by the orphan sweep because the database was still attached, is then met
 * by the Raft server's own scan. The node starts anyway, leaves that group and deletes its folder; the other
 * database's group runs. (The server once refused to start here: "no local database for Raft group".)
 */
class DropWhileStartingTest {

    @TempDir
    Path dir;
    final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
    }

    private RaftNode node(String spec) {
        RaftNode node = new RaftNode(ClusterSpec.parse("A", spec), dir.resolve(".raft"),
                new RaftTimeouts(Duration.ofMillis(1000), Duration.ofMillis(2000)));
        open.add(node);
        return node;
    }

    private void attach(RaftNode node, String db) throws IOException {
        DocumentStore store = DocumentStore.open(dir.resolve(db), StoreOptions.defaults()
                .withDurability(Durability.NO_SYNC).withMinGrowth(1 << 20), MergerOptions.defaults(),
                RaftNode.databaseId(db));
        open.add(store);
        node.attach(db, new FixedReplicaStore(store));
    }

    @Test
    void shouldStartLeavingTheGroupOfADatabaseDroppedDuringItsStart() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String spec = "A=127.0.0.1:1:" + port;
        Path kept = dir.resolve(".raft").resolve(RaftNode.groupId("kept").getUuid().toString());
        Path dropped = dir.resolve(".raft").resolve(RaftNode.groupId("dropped").getUuid().toString());

        RaftNode first = node(spec);
        attach(first, "kept");
        attach(first, "dropped");
        first.start();
        assertTrue(Files.isDirectory(kept) && Files.isDirectory(dropped), "both groups have their folders");
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
        open.clear();

        RaftNode again = node(spec);
        attach(again, "kept");
        attach(again, "dropped");
        again.afterOrphanSweep(() -> again.detach("dropped", true));
        again.start();

        assertFalse(again.group("dropped").isPresent());
        assertTrue(again.group("kept").isPresent());
        assertTrue(again.server().getGroupIds().iterator().hasNext());
        for (var id : again.server().getGroupIds()) {
            assertFalse(id.equals(RaftNode.groupId("dropped")), "the dropped database's group still runs");
        }
        assertFalse(Files.exists(dropped), "the dropped database's Raft folder is still there");
        assertTrue(Files.isDirectory(kept));
    }
}

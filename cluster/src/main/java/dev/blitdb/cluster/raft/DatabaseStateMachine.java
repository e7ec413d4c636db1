package dev.blitdb.cluster.raft;

import dev.blitdb.cluster.log.LogEntry;
import dev.blitdb.cluster.log.LogEntryCodec;
import dev.blitdb.storage.documents.DocumentStore;
import dev.blitdb.storage.documents.LogPosition;
import dev.blitdb.storage.documents.ReplicatedOutcome;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.SnapshotInfo;
import org.apache.ratis.statemachine.StateMachineStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.statemachine.impl.FileListSnapshotInfo;
import org.apache.ratis.statemachine.impl.SimpleStateMachineStorage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Raft state machine of one database on one node: applies committed entries, in log order, to the node's own
 * {@link DocumentStore}. Ratis calls {@link #applyTransaction} from one thread per group; each entry is applied in
 * one store commit that also records the entry's term and index, so after a restart {@link #initialize} reports the
 * store's own position and Ratis replays exactly the entries after it.
 *
 * <p>The outcome of each operation (its change vector, or its conflict) is computed here, on every node alike; the
 * leader keeps the outcomes of entries it proposed itself ({@link ReplicatedWrites}) until the proposer picks them
 * up, so rejected writes carry the store's own exception to the client.
 */
public final class DatabaseStateMachine extends BaseStateMachine {

    private final String database;
    private final DocumentStore store;
    private final ClientId localProposer;
    private final SimpleStateMachineStorage storage = new SimpleStateMachineStorage();
    private final Map<Long, List<ReplicatedOutcome>> localOutcomes = new ConcurrentHashMap<>();
    private volatile SnapshotInfo storeCheckpoint;

    DatabaseStateMachine(String database, DocumentStore store, ClientId localProposer) {
        this.database = database;
        this.store = store;
        this.localProposer = localProposer;
    }

    @Override
    public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage raftStorage) throws IOException {
        super.initialize(server, groupId, raftStorage);
        storage.init(raftStorage);
        LogPosition applied = store.appliedLogPosition();
        if (applied.index() > 0) {
            updateLastAppliedTermIndex(applied.term(), applied.index());
            // Ratis replays the log from the latest snapshot's index: the store itself is that checkpoint (its
            // applied position is committed with the writes), so a restart applies exactly the entries after it.
            storeCheckpoint = new FileListSnapshotInfo(List.of(), applied.term(), applied.index());
        }
    }

    /** The store's position when this group started on this node (see {@link #initialize}). */
    @Override
    public SnapshotInfo getLatestSnapshot() {
        return storeCheckpoint;
    }

    @Override
    public StateMachineStorage getStateMachineStorage() {
        return storage;
    }

    @Override
    public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
        LogEntryProto proto = trx.getLogEntry();
        TermIndex position = TermIndex.valueOf(proto);
        try {
            ByteBuffer data = proto.getStateMachineLogEntry().getLogData().asReadOnlyByteBuffer();
            LogEntry entry = LogEntryCodec.decode(data);
            List<ReplicatedOutcome> outcomes = store.applyLogEntry(
                    new LogPosition(position.getTerm(), position.getIndex()), entry.timestamp(), entry.operations());
            updateLastAppliedTermIndex(position.getTerm(), position.getIndex());
            RaftClientRequest request = trx.getClientRequest();
            if (request != null && request.getClientId().equals(localProposer)) {
                localOutcomes.put(request.getCallId(), outcomes);
            }
            return CompletableFuture.completedFuture(Message.EMPTY);
        } catch (RuntimeException e) {
            LOG.error("database '{}': cannot apply log entry {}; this node stops applying", database, position, e);
            return CompletableFuture.failedFuture(e);
        }
    }

    /** The outcomes of an entry this node proposed (call id of its request), removed as they are taken. */
    List<ReplicatedOutcome> takeOutcomes(long callId) {
        return localOutcomes.remove(callId);
    }

    void forgetOutcomes(long callId) {
        localOutcomes.remove(callId);
    }

    /** A read barrier (linearizable reads): by the time Ratis calls this, the node has applied the read index. */
    @Override
    public CompletableFuture<Message> query(Message request) {
        byte[] index = ByteBuffer.allocate(8).putLong(appliedIndex()).array();
        return CompletableFuture.completedFuture(Message.valueOf(
                org.apache.ratis.thirdparty.com.google.protobuf.ByteString.copyFrom(index)));
    }

    /** Index of the last log entry this node applied (0 before the first). */
    public long appliedIndex() {
        TermIndex t = getLastAppliedTermIndex();
        return t == null ? 0 : Math.max(0, t.getIndex());
    }

    public String database() {
        return database;
    }

    public DocumentStore store() {
        return store;
    }
}

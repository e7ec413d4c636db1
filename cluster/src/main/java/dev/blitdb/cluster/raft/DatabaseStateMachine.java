package dev.blitdb.cluster.raft;

import dev.blitdb.cluster.log.LogEntry;
import dev.blitdb.cluster.log.LogEntryCodec;
import dev.blitdb.storage.documents.DocumentStore;
import dev.blitdb.storage.documents.LogPosition;
import dev.blitdb.storage.documents.ReplicaSnapshot;
import dev.blitdb.storage.documents.ReplicatedOutcome;
import dev.blitdb.storage.engine.SnapshotCopy;
import org.apache.ratis.io.MD5Hash;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.raftlog.RaftLog;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.StateMachineStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.statemachine.impl.SimpleStateMachineStorage;
import org.apache.ratis.statemachine.impl.SingleFileSnapshotInfo;
import org.apache.ratis.util.LifeCycle;
import org.apache.ratis.util.MD5FileUtil;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Raft state machine of one database on one node: applies committed entries, in log order, to the node's own
 * {@link DocumentStore}. Ratis calls {@link #applyTransaction} from one thread per group; each entry is applied in
 * one store commit that also records the entry's term and index.
 *
 * <p><b>Snapshots.</b> A Raft snapshot of the group is a {@link SnapshotCopy} of the store (compacted, a complete
 * data file) named {@code snapshot.<term>_<index>} in the group's state-machine folder, with its MD5 beside it;
 * its term and index are the log position the copied state has applied (read in the copy's own read snapshot).
 * Ratis takes one every {@link SnapshotPolicy#thresholdEntries} entries ({@link #takeSnapshot}) and purges the log
 * behind it; a follower whose next entry was purged receives the file in chunks and {@link #reinitialize} swaps
 * its store for it.
 *
 * <p><b>Restart.</b> Ratis replays the log from the latest snapshot's index; entries the store already applied
 * (its own applied position is committed with the writes) are skipped, so each is applied exactly once. A snapshot
 * newer than the store (a crash between receiving an install and swapping the store) is installed first.
 *
 * <p>The outcome of each operation (its change vector, or its conflict) is computed here, on every node alike; the
 * leader keeps the outcomes of entries it proposed itself ({@link ReplicatedWrites}) until the proposer picks them
 * up, so rejected writes carry the store's own exception to the client.
 */
public final class DatabaseStateMachine extends BaseStateMachine {

    private static final String COPYING = "snapshot.copying";

    private final String database;
    private final ReplicaStore replica;
    private final ClientId localProposer;
    private final SimpleStateMachineStorage storage = new SimpleStateMachineStorage();
    private final Map<Long, List<ReplicatedOutcome>> localOutcomes = new ConcurrentHashMap<>();
    /** Entries at or below this index are in the store already (replayed after a restart or an install). */
    private volatile long storeApplied;
    private final AtomicLong snapshotsTaken = new AtomicLong();
    private final AtomicLong snapshotsInstalled = new AtomicLong();
    private volatile SnapshotStats lastSnapshot;

    /**
     * What the last snapshot taken or installed here cost.
     *
     * @param index    its log index
     * @param bytes    its size
     * @param millis   how long taking it (copy + MD5 + rename) or installing it (the store swap) took
     * @param installed whether it came from the leader
     */
    public record SnapshotStats(long index, long bytes, long millis, boolean installed) {
    }

    DatabaseStateMachine(String database, ReplicaStore replica, ClientId localProposer) {
        this.database = database;
        this.replica = replica;
        this.localProposer = localProposer;
    }

    @Override
    public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage raftStorage) throws IOException {
        super.initialize(server, groupId, raftStorage);
        storage.init(raftStorage);
        getLifeCycle().transition(LifeCycle.State.STARTING);
        Files.deleteIfExists(snapshotDir().resolve(COPYING)); // a snapshot a crash interrupted
        SingleFileSnapshotInfo latest = storage.getLatestSnapshot();
        long applied = replica.current().appliedLogPosition().index();
        if (latest != null && latest.getIndex() > applied) {
            // Received from the leader, but the crash came before the store was swapped: finish the install.
            File file = latest.getFile().getPath().toFile();
            MD5FileUtil.verifySavedMD5(file, latest.getFile().getFileDigest());
            install(latest);
        } else {
            storeApplied = applied;
        }
        if (latest != null) {
            setLastAppliedTermIndex(latest.getTermIndex());
        }
        getLifeCycle().transition(LifeCycle.State.RUNNING);
    }

    @Override
    public SingleFileSnapshotInfo getLatestSnapshot() {
        return storage.getLatestSnapshot();
    }

    @Override
    public StateMachineStorage getStateMachineStorage() {
        return storage;
    }

    private Path snapshotDir() {
        return storage.getSnapshotFile(0, 0).toPath().getParent();
    }

    @Override
    public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
        LogEntryProto proto = trx.getLogEntry();
        TermIndex position = TermIndex.valueOf(proto);
        if (position.getIndex() <= storeApplied) {
            updateLastAppliedTermIndex(position); // in the store already (replay after a restart or an install)
            return CompletableFuture.completedFuture(Message.EMPTY);
        }
        try {
            ByteBuffer data = proto.getStateMachineLogEntry().getLogData().asReadOnlyByteBuffer();
            LogEntry entry = LogEntryCodec.decode(data);
            List<ReplicatedOutcome> outcomes = replica.current().applyLogEntry(
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

    /**
     * Takes a snapshot: a compacting copy of the store, written (with its MD5 computed on the way) to a temporary
     * file, synced, then renamed to {@code snapshot.<term>_<index>}. Ratis calls this on the group's apply thread,
     * so nothing is applied meanwhile and the copy is the store at its applied position; reads go on.
     *
     * @return the snapshot's log index (Ratis purges the log up to it), or the previous one when nothing new was
     *     applied since
     */
    @Override
    public long takeSnapshot() throws IOException {
        try {
            return snapshotStore();
        } catch (RuntimeException e) {
            // Ratis stops the whole group on anything but an IOException here; a store that is closing (shut-down)
            // or failed only means no snapshot this time.
            throw new IOException("database '" + database + "': no snapshot taken: " + e.getMessage(), e);
        }
    }

    private long snapshotStore() throws IOException {
        DocumentStore store = replica.current();
        SingleFileSnapshotInfo last = storage.getLatestSnapshot();
        LogPosition applied = store.appliedLogPosition();
        if (applied.index() <= 0 || (last != null && last.getIndex() >= applied.index())) {
            return last == null ? RaftLog.INVALID_LOG_INDEX : last.getIndex();
        }
        long started = System.nanoTime();
        Path dir = snapshotDir();
        Files.createDirectories(dir);
        Path tmp = dir.resolve(COPYING);
        Files.deleteIfExists(tmp);
        MessageDigest md5 = MD5FileUtil.newMD5();
        ReplicaSnapshot copy;
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            copy = store.copySnapshot(new DigestingChannel(ch, md5), SnapshotCopy.Listener.NONE);
            ch.force(true);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        LogPosition p = copy.position();
        File target = storage.getSnapshotFile(p.term(), p.index());
        MD5Hash digest = MD5Hash.newInstance(md5.digest());
        // The MD5 file first: a snapshot file without one is not taken for a snapshot, an MD5 without one is cleaned.
        MD5FileUtil.saveMD5File(target, digest);
        Files.move(tmp, target.toPath(), StandardCopyOption.ATOMIC_MOVE);
        syncFolder(dir);
        storage.updateLatestSnapshot(new SingleFileSnapshotInfo(new FileInfo(target.toPath(), digest),
                p.term(), p.index()));
        long millis = (System.nanoTime() - started) / 1_000_000;
        lastSnapshot = new SnapshotStats(p.index(), copy.copy().bytes(), millis, false);
        snapshotsTaken.incrementAndGet();
        LOG.info("database '{}': snapshot at {} ({} bytes) in {} ms", database, p, copy.copy().bytes(), millis);
        return p.index();
    }

    /** Ratis pauses the state machine before writing a received snapshot (once per chunk: idempotent). */
    @Override
    public synchronized void pause() {
        LifeCycle lc = getLifeCycle();
        if (lc.getCurrentState() == LifeCycle.State.RUNNING) {
            lc.transition(LifeCycle.State.PAUSING);
            lc.transition(LifeCycle.State.PAUSED);
        }
    }

    /**
     * After Ratis received a snapshot from the leader (its MD5 checked) into the state-machine folder: swap the
     * store for it and resume applying from its index.
     */
    @Override
    public synchronized void reinitialize() throws IOException {
        SingleFileSnapshotInfo latest = storage.loadLatestSnapshot();
        if (latest == null) {
            throw new IOException("database '" + database + "': no snapshot to load after an install");
        }
        install(latest);
        setLastAppliedTermIndex(latest.getTermIndex());
        LifeCycle lc = getLifeCycle();
        if (lc.getCurrentState() == LifeCycle.State.PAUSED) {
            lc.transition(LifeCycle.State.STARTING);
            lc.transition(LifeCycle.State.RUNNING);
        }
    }

    private void install(SingleFileSnapshotInfo snapshot) throws IOException {
        long started = System.nanoTime();
        Path file = snapshot.getFile().getPath();
        replica.replaceWith(file);
        long applied = replica.current().appliedLogPosition().index();
        if (applied != snapshot.getIndex()) {
            throw new IOException("database '" + database + "': snapshot " + file.getFileName() + " holds log index "
                    + applied + ", not " + snapshot.getIndex());
        }
        storeApplied = applied;
        localOutcomes.clear();
        long millis = (System.nanoTime() - started) / 1_000_000;
        lastSnapshot = new SnapshotStats(snapshot.getIndex(), Files.size(file), millis, true);
        snapshotsInstalled.incrementAndGet();
        LOG.info("database '{}': installed snapshot {} ({} bytes) in {} ms", database, snapshot.getTermIndex(),
                Files.size(file), millis);
    }

    private static void syncFolder(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            LOG.debug("cannot sync folder {}", dir, e);
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

    /** Index of the latest snapshot here (-1 when none). */
    public long snapshotIndex() {
        SingleFileSnapshotInfo s = storage.getLatestSnapshot();
        return s == null ? -1 : s.getIndex();
    }

    public long snapshotsTaken() {
        return snapshotsTaken.get();
    }

    public long snapshotsInstalled() {
        return snapshotsInstalled.get();
    }

    /** The last snapshot taken or installed here since start, or null. */
    public SnapshotStats lastSnapshot() {
        return lastSnapshot;
    }

    public String database() {
        return database;
    }

    public DocumentStore store() {
        return replica.current();
    }

    /** Feeds what passes to an MD5 digest on its way to the file (one pass: Ratis ships the digest). */
    private record DigestingChannel(WritableByteChannel out, MessageDigest digest) implements WritableByteChannel {
        @Override
        public int write(ByteBuffer src) throws IOException {
            ByteBuffer view = src.duplicate();
            int n = out.write(src);
            view.limit(view.position() + n);
            digest.update(view);
            return n;
        }

        @Override
        public boolean isOpen() {
            return out.isOpen();
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }
}

package dev.blitdb.cluster.raft;

import dev.blitdb.cluster.log.LogEntry;
import dev.blitdb.cluster.log.LogEntryCodec;
import dev.blitdb.storage.documents.DocumentStore;
import dev.blitdb.storage.documents.LogPosition;
import dev.blitdb.storage.documents.ReplicaSnapshot;
import dev.blitdb.storage.documents.ReplicatedEntry;
import dev.blitdb.storage.documents.ReplicatedOutcome;
import dev.blitdb.storage.engine.SnapshotCopy;
import org.apache.ratis.io.MD5Hash;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.SnapshotManagementRequest;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Raft state machine of one database on one node: applies committed entries, in log order, to the node's own
 * {@link DocumentStore}. Ratis hands committed entries to {@link #applyTransaction} from one thread per group; a
 * second thread per group applies them in log order, every entry queued by the time it is free in ONE store commit
 * that also records the last entry's term and index (a follower that falls behind catches up in fewer, larger
 * commits; each entry's outcome is the same as applied alone).
 *
 * <p><b>Snapshots.</b> A Raft snapshot of the group is a {@link SnapshotCopy} of the store (compacted, a complete
 * data file) named {@code snapshot.<term>_<index>} in the group's state-machine folder, with its MD5 beside it;
 * its term and index are the log position the copied state has applied (read in the copy's own read snapshot).
 * One is copied in the background every {@link SnapshotPolicy#thresholdEntries} applied entries while applying
 * goes on, then handed to Ratis ({@link #takeSnapshot}), which purges the log behind it; a follower whose next
 * entry was purged receives the file in chunks and {@link #reinitialize} swaps its store for it.
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
    /** A finished copy waiting for Ratis to take it (renamed to its snapshot name by {@link #takeSnapshot}). */
    private static final String READY = "snapshot.ready";

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
    /** Committed entries handed over by Ratis, waiting for the applier thread (in log order). */
    private final LinkedBlockingQueue<Committed> committed = new LinkedBlockingQueue<>();
    /** Entries handed over and not yet applied (an install waits for zero). */
    private final AtomicInteger unapplied = new AtomicInteger();
    private volatile Thread applier;
    private volatile boolean closing;
    /** Set when an entry could not be applied: this node then applies nothing more (its store would diverge). */
    private volatile RuntimeException applyFailure;

    /** At most this many queued entries (and {@link #GROUP_BYTES} of them) share one store commit. */
    static final int GROUP_ENTRIES = 64;
    static final long GROUP_BYTES = 16L << 20;

    /**
     * A committed entry on its way to the store; {@code entry} null for one the store has already, or a position
     * Ratis applied itself (a configuration entry: {@code applied} null).
     */
    private record Committed(TermIndex position, LogEntry entry, long bytes, long localCall,
                             CompletableFuture<Message> applied) {
    }

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

    /** Applied entries between two snapshots ({@link SnapshotPolicy#thresholdEntries}). */
    private final long snapshotEvery;
    private final SnapshotCopy.Listener copyListener;
    private final ClientId snapshotClient = ClientId.randomId();
    private final AtomicLong snapshotCalls = new AtomicLong();
    /** Claimed by whoever copies the store (the background thread, or takeSnapshot): one copy at a time. */
    private final AtomicBoolean copying = new AtomicBoolean();
    /** Claimed while a background snapshot thread runs. */
    private final AtomicBoolean snapshotting = new AtomicBoolean();
    private volatile Thread snapshotter;
    private volatile ReadyCopy ready;
    /** Set to abandon a running copy (an install replaces the store it copies). */
    private volatile boolean cancelCopy;
    private volatile long retrySnapshotAt;
    /** No new copy before this (nanoTime): copying takes at most a tenth of the time (see maybeSnapshot). */
    private volatile long nextCopyAt;

    /** A complete, synced copy in {@link #READY}: the store at {@code position}. */
    private record ReadyCopy(LogPosition position, MD5Hash digest, long bytes, long started) {
    }

    DatabaseStateMachine(String database, ReplicaStore replica, ClientId localProposer, long snapshotEvery,
                         SnapshotCopy.Listener copyListener) {
        this.database = database;
        this.replica = replica;
        this.localProposer = localProposer;
        this.snapshotEvery = snapshotEvery;
        this.copyListener = copyListener;
    }

    @Override
    public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage raftStorage) throws IOException {
        super.initialize(server, groupId, raftStorage);
        storage.init(raftStorage);
        getLifeCycle().transition(LifeCycle.State.STARTING);
        Files.deleteIfExists(snapshotDir().resolve(COPYING)); // a snapshot a crash interrupted
        Files.deleteIfExists(snapshotDir().resolve(READY)); // a copy Ratis had not taken yet
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
        applier = Thread.ofPlatform().daemon().name("blitdb-apply-" + database).start(this::applyCommitted);
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

    /**
     * Hands a committed entry to this group's applier thread and returns at once (Ratis goes on handing over the
     * entries committed behind it): the applier applies every entry queued by then in ONE store commit, in log
     * order, each entry exactly as alone ({@link DocumentStore#applyLogEntries}), and completes their futures once
     * that commit is done, so Ratis answers the writers after the leader applied their entry.
     */
    @Override
    public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
        LogEntryProto proto = trx.getLogEntry();
        TermIndex position = TermIndex.valueOf(proto);
        RuntimeException failed = applyFailure;
        if (failed != null) {
            return CompletableFuture.failedFuture(failed);
        }
        CompletableFuture<Message> applied = new CompletableFuture<>();
        Committed c;
        if (position.getIndex() <= storeApplied) {
            c = new Committed(position, null, 0, -1, applied); // in the store already (replay after a restart)
        } else {
            LogEntry entry;
            try {
                entry = LogEntryCodec.decode(proto.getStateMachineLogEntry().getLogData().asReadOnlyByteBuffer());
            } catch (RuntimeException e) {
                LOG.error("database '{}': cannot decode log entry {}; this node stops applying", database, position, e);
                applyFailure = e;
                return CompletableFuture.failedFuture(e);
            }
            RaftClientRequest request = trx.getClientRequest();
            long localCall = request != null && request.getClientId().equals(localProposer) ? request.getCallId() : -1;
            c = new Committed(position, entry, proto.getStateMachineLogEntry().getLogData().size(), localCall, applied);
        }
        unapplied.incrementAndGet();
        committed.add(c);
        return applied;
    }

    /** The applier thread: takes what is queued (up to a bound) and applies it in one store commit. */
    private void applyCommitted() {
        List<Committed> group = new ArrayList<>();
        while (!closing || !committed.isEmpty()) {
            Committed first;
            try {
                first = committed.poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                continue;
            }
            if (first == null) {
                continue;
            }
            group.clear();
            group.add(first);
            long bytes = first.bytes();
            for (Committed next = committed.peek(); next != null && group.size() < GROUP_ENTRIES
                    && bytes + next.bytes() <= GROUP_BYTES; next = committed.peek()) {
                group.add(committed.poll());
                bytes += next.bytes();
            }
            applyGroup(group);
            try {
                maybeSnapshot();
            } catch (RuntimeException e) {
                LOG.warn("database '{}': cannot start a snapshot: {}", database, e.toString());
            }
        }
    }

    private void applyGroup(List<Committed> group) {
        List<List<ReplicatedOutcome>> outcomes = List.of();
        RuntimeException failure = applyFailure;
        if (failure == null) {
            List<ReplicatedEntry> entries = new ArrayList<>(group.size());
            for (Committed c : group) {
                if (c.entry() != null) {
                    entries.add(new ReplicatedEntry(new LogPosition(c.position().getTerm(), c.position().getIndex()),
                            c.entry().timestamp(), c.entry().operations()));
                }
            }
            try {
                outcomes = entries.isEmpty() ? List.of() : replica.current().applyLogEntries(entries);
            } catch (RuntimeException e) {
                failure = e;
                if (!closing) {
                    applyFailure = e;
                    LOG.error("database '{}': cannot apply log entries {}..{}; this node stops applying", database,
                            group.getFirst().position(), group.getLast().position(), e);
                }
            }
        }
        int next = 0;
        for (Committed c : group) {
            try {
                if (failure == null) {
                    updateLastAppliedTermIndex(c.position().getTerm(), c.position().getIndex());
                    if (c.entry() != null) {
                        List<ReplicatedOutcome> out = outcomes.get(next++);
                        if (c.localCall() >= 0) {
                            localOutcomes.put(c.localCall(), out);
                        }
                    }
                }
            } catch (RuntimeException e) {
                failure = e;
                applyFailure = e;
                LOG.error("database '{}': cannot record log entry {} as applied; this node stops applying", database,
                        c.position(), e);
            } finally {
                unapplied.decrementAndGet();
                if (c.applied() != null) {
                    if (failure == null) {
                        c.applied().complete(Message.EMPTY);
                    } else {
                        c.applied().completeExceptionally(failure);
                    }
                }
            }
        }
    }

    /**
     * Ratis applies configuration and metadata entries itself and tells the state machine their position here; with
     * entries still queued for the applier, the position is queued behind them (applied positions only grow).
     */
    @Override
    public void notifyTermIndexUpdated(long term, long index) {
        if (unapplied.get() == 0) {
            super.notifyTermIndexUpdated(term, index); // nothing queued: only this thread queues
            return;
        }
        unapplied.incrementAndGet();
        committed.add(new Committed(TermIndex.valueOf(term, index), null, 0, -1, null));
    }

    /** Waits until every entry handed over has been applied (before the store is swapped for a snapshot). */
    private void awaitApplied() throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (unapplied.get() > 0) {
            if (System.nanoTime() > deadline) {
                throw new IOException("database '" + database + "': " + unapplied.get() + " committed entries not "
                        + "applied within 60 s; not installing the snapshot");
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for committed entries to be applied", e);
            }
        }
    }

    private void abandonCopy() throws IOException {
        cancelCopy = true;
        try {
            while (copying.get()) {
                Thread.sleep(1);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while abandoning a snapshot copy", e);
        } finally {
            cancelCopy = false;
        }
        ready = null;
        Files.deleteIfExists(snapshotDir().resolve(READY));
    }

    /** Stops the applier once what was handed over is applied (or failed). */
    @Override
    public void close() throws IOException {
        closing = true;
        for (Thread t : new Thread[] {applier, snapshotter}) {
            if (t != null) {
                try {
                    t.join(10_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        super.close();
    }

    /**
     * Starts a background snapshot once {@link #snapshotEvery} entries were applied since the last one (on the
     * applier thread, after a group), and no sooner than nine times the last copy's duration after it ended: a copy
     * of a large store costs seconds of CPU and disk on every node, so copying stays at most a tenth of the time
     * even when the threshold would come round faster. Applying goes on while the store is copied: the copy holds its own read
     * snapshot and reads its position there. When the copy is complete and synced, the thread asks Ratis to take a
     * snapshot ({@code snapshotManagement create}); Ratis calls {@link #takeSnapshot}, which puts the ready copy in
     * place at once, and purges the log up to it.
     */
    private void maybeSnapshot() {
        long now = System.nanoTime();
        if (closing || now < retrySnapshotAt) {
            return;
        }
        if (ready == null && now < nextCopyAt) {
            return; // a large store copies for seconds: at most one tenth of the time goes to copying
        }
        if (ready == null) {
            long last = Math.max(0, snapshotIndex());
            if (appliedIndex() - last < snapshotEvery) {
                return;
            }
        }
        if (!snapshotting.compareAndSet(false, true)) {
            return;
        }
        Thread t = Thread.ofPlatform().daemon().name("blitdb-snapshot-" + database).unstarted(this::snapshotInBackground);
        snapshotter = t;
        t.start();
    }

    private void snapshotInBackground() {
        try {
            if (ready == null) {
                if (!copying.compareAndSet(false, true)) {
                    return;
                }
                try {
                    ReadyCopy c = copyStore();
                    if (c == null) {
                        return;
                    }
                    ready = c;
                } finally {
                    copying.set(false);
                }
            }
            RaftServer server = getServer().get(10, TimeUnit.SECONDS);
            RaftClientReply reply = server.snapshotManagementAsync(SnapshotManagementRequest.newCreate(snapshotClient,
                    server.getId(), getGroupId(), snapshotCalls.incrementAndGet(), 60_000, 1))
                    .get(60, TimeUnit.SECONDS);
            if (!reply.isSuccess()) {
                throw new IOException("Ratis did not take the snapshot: " + reply.getException());
            }
        } catch (Exception e) {
            if (!closing && !cancelCopy) {
                retrySnapshotAt = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
                LOG.warn("database '{}': background snapshot not taken ({}); retrying later", database, e.toString());
            }
        } finally {
            snapshotting.set(false);
        }
    }

    /**
     * Gives Ratis a snapshot: the copy the background thread finished, renamed into place (no copying here), or,
     * when Ratis asks on its own and no copy is running, a copy made now. Ratis calls this on the thread that hands
     * entries over, once every entry handed over is applied.
     *
     * @return the snapshot's log index (Ratis purges the log up to it), or the latest one when there is nothing new
     *     (or a background copy is still running: it asks again when done)
     */
    @Override
    public long takeSnapshot() throws IOException {
        try {
            ReadyCopy c = ready;
            if (c != null) {
                return publish(c);
            }
            if (!copying.compareAndSet(false, true)) {
                return snapshotIndex();
            }
            try {
                c = copyStore();
                return c == null ? snapshotIndex() : publish(c);
            } finally {
                copying.set(false);
            }
        } catch (RuntimeException e) {
            // Ratis stops the whole group on anything but an IOException here; a store that is closing (shut-down)
            // or failed only means no snapshot this time.
            throw new IOException("database '" + database + "': no snapshot taken: " + e.getMessage(), e);
        }
    }

    /**
     * Copies the store (a compacting copy, its MD5 computed on the way) to {@link #COPYING}, syncs it and renames
     * it to {@link #READY}; null when nothing was applied since the latest snapshot.
     */
    private ReadyCopy copyStore() throws IOException {
        DocumentStore store = replica.current();
        long last = snapshotIndex();
        LogPosition applied = store.appliedLogPosition();
        if (applied.index() <= 0 || last >= applied.index()) {
            return null;
        }
        long started = System.nanoTime();
        Path dir = snapshotDir();
        Files.createDirectories(dir);
        Path tmp = dir.resolve(COPYING);
        Files.deleteIfExists(tmp);
        MessageDigest md5 = MD5FileUtil.newMD5();
        ReplicaSnapshot copy;
        SnapshotCopy.Listener listener = (done, total) -> {
            if (cancelCopy || closing) {
                throw new IOException("snapshot copy of '" + database + "' abandoned");
            }
            copyListener.progress(done, total);
        };
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            copy = store.copySnapshot(new DigestingChannel(ch, md5), listener);
            ch.force(true);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, dir.resolve(READY), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return new ReadyCopy(copy.position(), MD5Hash.newInstance(md5.digest()), copy.copy().bytes(), started);
    }

    /** Renames a ready copy to {@code snapshot.<term>_<index>} and makes it this group's latest snapshot. */
    private long publish(ReadyCopy c) throws IOException {
        LogPosition p = c.position();
        Path dir = snapshotDir();
        File target = storage.getSnapshotFile(p.term(), p.index());
        // The MD5 file first: a snapshot file without one is not taken for a snapshot, an MD5 without one is cleaned.
        MD5FileUtil.saveMD5File(target, c.digest());
        Files.move(dir.resolve(READY), target.toPath(), StandardCopyOption.ATOMIC_MOVE);
        syncFolder(dir);
        storage.updateLatestSnapshot(new SingleFileSnapshotInfo(new FileInfo(target.toPath(), c.digest()),
                p.term(), p.index()));
        ready = null;
        long took = System.nanoTime() - c.started();
        nextCopyAt = System.nanoTime() + 9 * took;
        long millis = took / 1_000_000;
        lastSnapshot = new SnapshotStats(p.index(), c.bytes(), millis, false);
        snapshotsTaken.incrementAndGet();
        LOG.info("database '{}': snapshot at {} ({} bytes) in {} ms, applying went on", database, p, c.bytes(),
                millis);
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
        awaitApplied(); // entries handed over before the install go to the old store, never to the new one
        abandonCopy(); // a background copy of the old store is of no use now, and must not read it as it closes
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

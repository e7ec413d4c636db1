package dev.blitdb.cluster.raft;

import dev.blitdb.cluster.log.LogEntry;
import dev.blitdb.cluster.log.LogEntryCodec;
import dev.blitdb.storage.documents.DeleteResult;
import dev.blitdb.storage.documents.DocumentCommand;
import dev.blitdb.storage.documents.DocumentIds;
import dev.blitdb.storage.documents.DocumentWrites;
import dev.blitdb.storage.documents.HiLoRange;
import dev.blitdb.storage.documents.InvalidIdException;
import dev.blitdb.storage.documents.PutResult;
import dev.blitdb.storage.documents.ReplicatedOperation;
import dev.blitdb.storage.documents.ReplicatedOutcome;
import dev.blitdb.storage.engine.StoreClosedException;
import dev.blitdb.storage.engine.TooLargeException;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.exceptions.LeaderNotReadyException;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;

import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The write side of a replicated database on one node. Writes queue here; one proposer thread per database takes
 * everything queued (up to {@value #MAX_OPERATIONS} operations or {@value #MAX_BYTES} bytes) into ONE log entry
 * and submits it to the local Raft server, with up to {@link #MAX_IN_FLIGHT} entries in flight, so concurrent
 * writers share both the log's sync and the round trip to the followers (group commit across the cluster).
 *
 * <p>A future completes once a majority has the entry and this node applied it. Failures: {@link NotLeaderException}
 * when this node is not the leader at proposal time (nothing was proposed: safe to send elsewhere);
 * {@link WriteOutcomeUnknownException} when leadership was lost or {@link #COMMIT_TIMEOUT} passed after the entry
 * was proposed (it may or may not be applied); the store's own rejections otherwise.
 */
public final class ReplicatedWrites implements DocumentWrites, AutoCloseable {

    static final int MAX_OPERATIONS = 1024;
    static final long MAX_BYTES = 4L << 20;
    /**
     * The largest log entry (8 MiB): Ratis buffers a whole entry in each group's log write buffer, so one replicated
     * write (a document, or a bulk_docs request) is limited to this much blittable data; larger ones get 413.
     */
    public static final int MAX_ENTRY_BYTES = 8 << 20;
    private static final int ENTRY_OVERHEAD = 64 << 10;
    /**
     * Entries in flight per database: 2, or the {@code blitdb.raft.maxInFlight} system property (1-64), a tuning
     * knob for measuring (bench/results/cluster.md): fewer in flight make larger entries (less Ratis and gRPC work
     * per write), more overlap more round trips.
     */
    static final int MAX_IN_FLIGHT = Math.clamp(Integer.getInteger("blitdb.raft.maxInFlight", 2), 1, 64);
    /** How long a proposed entry may take to commit before its writers hear "outcome unknown". */
    static final Duration COMMIT_TIMEOUT = Duration.ofSeconds(10);

    private final ReplicaGroup group;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>(16_384);
    private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
    private final AtomicLong callIds;
    private final Thread proposer;
    private volatile boolean open = true;

    private record Pending(ReplicatedOperation op, long bytes, CompletableFuture<ReplicatedOutcome> future) {
    }

    ReplicatedWrites(ReplicaGroup group, AtomicLong callIds) {
        this.group = group;
        this.callIds = callIds;
        this.proposer = Thread.ofPlatform().daemon().name("blitdb-proposer-" + group.database()).start(this::run);
    }

    @Override
    public CompletableFuture<PutResult> put(String id, MemorySegment blittable, String expectedChangeVector) {
        try {
            DocumentIds.key(id);
        } catch (InvalidIdException e) {
            return CompletableFuture.failedFuture(e);
        }
        // No copy here: the caller keeps the segment valid until the future completes, and the proposer copies it
        // once, straight into the log entry, before anything can complete the future.
        return submit(new ReplicatedOperation.Put(id, blittable, expectedChangeVector), blittable.byteSize())
                .thenApply(o -> switch (o) {
                    case ReplicatedOutcome.Stored s -> s.result();
                    default -> throw unexpected(o);
                });
    }

    @Override
    public CompletableFuture<DeleteResult> delete(String id, String expectedChangeVector) {
        try {
            DocumentIds.key(id);
        } catch (InvalidIdException e) {
            return CompletableFuture.failedFuture(e);
        }
        return submit(new ReplicatedOperation.Delete(id, expectedChangeVector), 64).thenApply(o -> switch (o) {
            case ReplicatedOutcome.Deleted d -> d.result();
            default -> throw unexpected(o);
        });
    }

    @Override
    public CompletableFuture<List<Object>> batch(List<DocumentCommand> commands) {
        long bytes = 0;
        for (DocumentCommand c : commands) {
            bytes += c instanceof DocumentCommand.Put p ? p.blittable().length : 64;
        }
        return submit(new ReplicatedOperation.Batch(commands), bytes).thenApply(o -> switch (o) {
            case ReplicatedOutcome.Batched b -> b.results();
            default -> throw unexpected(o);
        });
    }

    @Override
    public CompletableFuture<HiLoRange> reserveIds(String collection, long count) {
        if (count < 1 || count > 1_000_000) {
            return CompletableFuture.failedFuture(new IllegalArgumentException(
                    "reserve 1..1000000 ids at a time, not " + count));
        }
        return submit(new ReplicatedOperation.ReserveIds(collection, count), 64).thenApply(o -> switch (o) {
            case ReplicatedOutcome.Reserved r -> r.range();
            default -> throw unexpected(o);
        });
    }

    @Override
    public CompletableFuture<Long> purgeTombstones(long upToEtag, int max) {
        if (max < 1) {
            return CompletableFuture.failedFuture(new IllegalArgumentException(
                    "purge at least 1 tombstone at a time, not " + max));
        }
        return submit(new ReplicatedOperation.PurgeTombstones(upToEtag, max), 64).thenApply(o -> switch (o) {
            case ReplicatedOutcome.Purged p -> p.count();
            default -> throw unexpected(o);
        });
    }

    private static RuntimeException unexpected(ReplicatedOutcome o) {
        if (o instanceof ReplicatedOutcome.Rejected r) {
            return r.cause();
        }
        return new IllegalStateException("unexpected outcome " + o);
    }

    private CompletableFuture<ReplicatedOutcome> submit(ReplicatedOperation op, long bytes) {
        CompletableFuture<ReplicatedOutcome> future = new CompletableFuture<>();
        if (bytes > MAX_ENTRY_BYTES - ENTRY_OVERHEAD) {
            future.completeExceptionally(new TooLargeException("a replicated write (one log entry)", bytes,
                    MAX_ENTRY_BYTES - ENTRY_OVERHEAD));
            return future;
        }
        if (!open) {
            future.completeExceptionally(new StoreClosedException("replicated writes of '" + group.database() + "'"));
            return future;
        }
        // Refuse early on a follower: the client learns the leader without waiting for a batch.
        NotLeaderException notLeader = group.notLeader();
        if (notLeader != null) {
            future.completeExceptionally(notLeader);
            return future;
        }
        try {
            queue.put(new Pending(op, bytes, future));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            future.completeExceptionally(e);
        }
        return future;
    }

    private void run() {
        while (open || !queue.isEmpty()) {
            Pending first;
            try {
                first = queue.poll(50, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                inFlight.acquire();
            } catch (InterruptedException e) {
                continue;
            }
            List<Pending> batch = new ArrayList<>();
            batch.add(first);
            long bytes = first.bytes();
            while (batch.size() < MAX_OPERATIONS && bytes < MAX_BYTES) {
                Pending next = queue.peek();
                if (next == null || bytes + next.bytes() > MAX_ENTRY_BYTES - ENTRY_OVERHEAD) {
                    break;
                }
                queue.poll();
                batch.add(next);
                bytes += next.bytes();
            }
            propose(batch);
        }
    }

    private void propose(List<Pending> batch) {
        NotLeaderException notLeader = group.notLeader();
        if (notLeader != null) {
            inFlight.release();
            batch.forEach(p -> p.future().completeExceptionally(notLeader));
            return;
        }
        List<ReplicatedOperation> ops = new ArrayList<>(batch.size());
        batch.forEach(p -> ops.add(p.op()));
        byte[] data = LogEntryCodec.encode(new LogEntry(group.nextTimestamp(), ops));
        long callId = callIds.incrementAndGet();
        RaftClientRequest request = RaftClientRequest.newBuilder()
                .setClientId(group.proposerId())
                .setServerId(group.selfPeerId())
                .setGroupId(group.groupId())
                .setCallId(callId)
                .setMessage(Message.valueOf(UnsafeByteOperations.unsafeWrap(data)))
                .setType(RaftClientRequest.writeRequestType())
                .build();
        CompletableFuture<RaftClientReply> reply;
        try {
            reply = group.submit(request);
        } catch (Exception e) {
            reply = CompletableFuture.failedFuture(e);
        }
        reply.orTimeout(COMMIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).whenComplete((r, failure) -> {
            inFlight.release();
            try {
                complete(batch, callId, r, failure);
            } finally {
                group.stateMachine().forgetOutcomes(callId);
            }
        });
    }

    private void complete(List<Pending> batch, long callId, RaftClientReply reply, Throwable failure) {
        Throwable cause = failure;
        if (cause == null && !reply.isSuccess()) {
            cause = reply.getException();
        }
        if (cause == null) {
            List<ReplicatedOutcome> outcomes = group.stateMachine().takeOutcomes(callId);
            if (outcomes == null || outcomes.size() != batch.size()) {
                cause = new IllegalStateException("entry " + reply.getLogIndex() + " was committed but its "
                        + "outcomes are missing on the leader");
            } else {
                for (int i = 0; i < batch.size(); i++) {
                    batch.get(i).future().complete(outcomes.get(i));
                }
                return;
            }
        }
        Throwable unwrapped = cause instanceof java.util.concurrent.CompletionException && cause.getCause() != null
                ? cause.getCause() : cause;
        RuntimeException error;
        if (unwrapped instanceof LeaderNotReadyException) {
            // Refused before appending: the new leader has not committed its first entry yet.
            error = new NotLeaderException(group.database(), group.selfId(), null, null);
        } else if (unwrapped instanceof TimeoutException) {
            error = new WriteOutcomeUnknownException("the write to '" + group.database() + "' was proposed but not "
                    + "known committed within " + COMMIT_TIMEOUT.toSeconds() + " s (no majority reachable?); it may "
                    + "or may not be applied: read it back before retrying", unwrapped);
        } else {
            error = new WriteOutcomeUnknownException("the write to '" + group.database() + "' was proposed but "
                    + "node " + group.selfId() + " lost leadership before it was known committed ("
                    + unwrapped + "); it may or may not be applied: read it back before retrying", unwrapped);
        }
        batch.forEach(p -> p.future().completeExceptionally(error));
    }

    /** Stops accepting; writes already queued are still proposed. */
    @Override
    public void close() throws InterruptedException {
        open = false;
        proposer.join(5_000);
    }
}

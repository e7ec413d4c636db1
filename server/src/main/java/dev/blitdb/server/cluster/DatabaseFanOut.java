package dev.blitdb.server.cluster;

import dev.blitdb.cluster.raft.RaftNode;
import dev.blitdb.cluster.topology.ClusterMember;
import dev.blitdb.server.databases.DatabaseName;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Carries a database's creation or drop from the node that was asked to every other node
 * ({@code PUT|DELETE /admin/cluster/databases?name=} on each).
 *
 * <p>A peer that does not answer, times out or answers 5xx is asked again, with growing pauses, for up to
 * {@link #PATIENCE} before the route answers; one still out of reach then is reported {@code Unreachable: …} and
 * asked again every {@link #BACKGROUND_EVERY} in the background for as long as this node runs, the peer stays a
 * member, and no later create or drop of the same name replaced the request. So a node that was down when a
 * database was created gets it when it comes back, and catches up from the group's log; without a node to keep
 * asking (this one restarted too), {@code PUT /admin/cluster/databases?name=} on it does the same by hand.
 * Both calls are idempotent: a 409 to a repeated create (404 to a repeated drop) after an attempt whose answer was
 * lost means the first attempt did it.
 */
final class DatabaseFanOut implements AutoCloseable {

    static final Duration PATIENCE = Duration.ofSeconds(10);
    static final Duration BACKGROUND_EVERY = Duration.ofSeconds(3);
    private static final long FIRST_PAUSE_MILLIS = 200;
    private static final long LONGEST_PAUSE_MILLIS = 2_000;
    private static final System.Logger LOG = System.getLogger(DatabaseFanOut.class.getName());

    /** A create or drop of one database on every peer. */
    enum Change {
        CREATE("PUT", 201, 409, "AlreadyExists"), DROP("DELETE", 204, 404, "NotFound");

        final String method;
        final int ok;
        final int alreadySo;
        final String alreadySoName;

        Change(String method, int ok, int alreadySo, String alreadySoName) {
            this.method = method;
            this.ok = ok;
            this.alreadySo = alreadySo;
            this.alreadySoName = alreadySoName;
        }
    }

    private final RaftNode node;
    private final PeerClient peers;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("database-fan-out").factory());
    /** Background retries by lower-cased database name and peer id. */
    private final Map<String, ScheduledFuture<?>> background = new ConcurrentHashMap<>();

    DatabaseFanOut(RaftNode node, PeerClient peers) {
        this.node = node;
        this.peers = peers;
    }

    /** Applies {@code change} on every peer; returns each node's outcome (this node's is "Done"). */
    Map<String, String> apply(Change change, DatabaseName name) {
        String key = name.value().toLowerCase(Locale.ROOT);
        synchronized (background) { // a later create or drop of the name replaces what is still being asked
            background.entrySet().removeIf(e -> {
                if (e.getKey().startsWith(key + "\n")) {
                    e.getValue().cancel(false);
                    return true;
                }
                return false;
            });
        }
        Map<String, CompletableFuture<String>> asked = new LinkedHashMap<>();
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        for (ClusterMember m : node.spec().peers()) {
            CompletableFuture<String> outcome = new CompletableFuture<>();
            attempt(change, name, m, deadline, FIRST_PAUSE_MILLIS, false, outcome);
            asked.put(m.id(), outcome);
        }
        Map<String, String> result = new LinkedHashMap<>();
        result.put(node.spec().selfId(), "Done");
        asked.forEach((id, f) -> result.put(id, f.join()));
        return result;
    }

    private String path(DatabaseName name) {
        return "/admin/cluster/databases?name=" + URLEncoder.encode(name.value(), StandardCharsets.UTF_8);
    }

    private void attempt(Change change, DatabaseName name, ClusterMember peer, long deadline, long pause,
                         boolean retried, CompletableFuture<String> outcome) {
        peers.send(peer, change.method, path(name), PeerClient.TIMEOUT).whenComplete((a, e) -> {
            String failure = transientFailure(a, e);
            if (failure == null) {
                outcome.complete(settled(change, a, retried));
                return;
            }
            long left = deadline - System.nanoTime();
            if (left <= TimeUnit.MILLISECONDS.toNanos(pause)) {
                outcome.complete("Unreachable: " + failure + " (asked again every "
                        + BACKGROUND_EVERY.toSeconds() + " s in the background)");
                keepAsking(change, name, peer, failure);
                return;
            }
            try {
                timer.schedule(() -> attempt(change, name, peer, deadline, Math.min(pause * 2, LONGEST_PAUSE_MILLIS),
                        true, outcome), pause, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException closed) {
                outcome.complete("Unreachable: " + failure);
            }
        });
    }

    /** Why an answer is worth asking again for (no answer, or a 5xx), or null for a final one. */
    private static String transientFailure(PeerClient.Answer a, Throwable e) {
        if (e != null) {
            return e.toString();
        }
        if (a.failure() != null) {
            return a.failure();
        }
        return a.status() >= 500 ? "HTTP " + a.status() : null;
    }

    private static String settled(Change change, PeerClient.Answer a, boolean retried) {
        if (a.status() == change.ok || (retried && a.status() == change.alreadySo)) {
            return "Done";
        }
        if (a.status() == change.alreadySo) {
            return change.alreadySoName;
        }
        return "Failed: HTTP " + a.status();
    }

    private void keepAsking(Change change, DatabaseName name, ClusterMember peer, String firstFailure) {
        String key = name.value().toLowerCase(Locale.ROOT) + "\n" + peer.id();
        LOG.log(System.Logger.Level.WARNING, () -> "node " + peer.id() + " did not take the " + change.name()
                .toLowerCase(Locale.ROOT) + " of database '" + name.value() + "' (" + firstFailure
                + "); asking again every " + BACKGROUND_EVERY.toSeconds() + " s");
        ScheduledFuture<?>[] self = new ScheduledFuture<?>[1];
        Runnable ask = () -> {
            if (node.spec().member(peer.id()).isEmpty()) {
                cancel(key, self[0]); // no longer a member: nothing to bring up to date
                return;
            }
            try {
                PeerClient.Answer a = peers.send(peer, change.method, path(name), PeerClient.TIMEOUT).join();
                if (transientFailure(a, null) == null) {
                    cancel(key, self[0]);
                    LOG.log(System.Logger.Level.INFO, () -> "node " + peer.id() + " took the " + change.name()
                            .toLowerCase(Locale.ROOT) + " of database '" + name.value() + "': "
                            + settled(change, a, true));
                }
            } catch (RuntimeException e) {
                // asked again at the next tick
            }
        };
        try {
            synchronized (background) {
                self[0] = timer.scheduleWithFixedDelay(ask, BACKGROUND_EVERY.toMillis(), BACKGROUND_EVERY.toMillis(),
                        TimeUnit.MILLISECONDS);
                ScheduledFuture<?> before = background.put(key, self[0]);
                if (before != null) {
                    before.cancel(false);
                }
            }
        } catch (RejectedExecutionException closed) {
            // the node is stopping: nobody is left to ask
        }
    }

    private void cancel(String key, ScheduledFuture<?> task) {
        synchronized (background) {
            if (task != null) {
                task.cancel(false);
                background.remove(key, task);
            }
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        background.clear();
    }
}

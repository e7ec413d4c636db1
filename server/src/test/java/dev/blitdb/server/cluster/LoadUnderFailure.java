package dev.blitdb.server.cluster;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Concurrent writers against a cluster's leader that keep going through fail-overs, as a careful client does:
 * follow 421 to the named leader, look the topology up again while an election runs, and count a write whose
 * answer never came (connection reset by a killed node, 504) as "outcome unknown", never as acknowledged.
 */
final class LoadUnderFailure implements AutoCloseable {

    private final ClusterProcesses cluster;
    private final String db;
    final Map<String, String> acknowledged = new ConcurrentHashMap<>();
    final Set<String> unknown = ConcurrentHashMap.newKeySet();
    final AtomicInteger acks = new AtomicInteger();
    private final AtomicReference<String> target = new AtomicReference<>();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicLong markNanos = new AtomicLong(Long.MAX_VALUE);
    private final AtomicLong firstAckAfterMark = new AtomicLong();
    /** The slowest acknowledged write before the mark (send to 201): what this machine's load costs a write. */
    private final AtomicLong slowestAckNanos = new AtomicLong();
    private final List<Thread> writers = new ArrayList<>();

    LoadUnderFailure(ClusterProcesses cluster, String db, String prefix, int threads) throws InterruptedException {
        this.cluster = cluster;
        this.db = db;
        target.set(ClusterTestBase.awaitLeader(cluster, db, Duration.ofSeconds(30)));
        for (int t = 0; t < threads; t++) {
            int thread = t;
            writers.add(Thread.ofPlatform().name("writer-" + t).start(() -> write(prefix + "/" + thread + "/")));
        }
    }

    private void write(String prefix) {
        // Bounded whatever happens (close() stops the writers; this only ends them if a test never does). Longer
        // than any test using the load takes even on a loaded machine: writers ending early starve awaitAcks.
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        for (int i = 0; !stop.get() && System.nanoTime() < deadline; i++) {
            String id = prefix + i;
            String node = target.get();
            long sent = System.nanoTime();
            try {
                HttpResponse<String> r = cluster.send(node, "PUT", "/databases/" + db + "/docs?id=" + id,
                        "{\"Writer\":\"" + prefix + "\",\"N\":" + i + "}", ClusterTestBase.noHeaders());
                switch (r.statusCode()) {
                    case 201 -> {
                        acknowledged.put(id, ClusterTestBase.json(r).path("ChangeVector").asText());
                        acks.incrementAndGet();
                        long now = System.nanoTime();
                        if (now > markNanos.get()) {
                            firstAckAfterMark.compareAndSet(0, now);
                        } else {
                            slowestAckNanos.accumulateAndGet(now - sent, Math::max);
                        }
                    }
                    case 421 -> {
                        JsonNode e = ClusterTestBase.json(r);
                        String leader = e.path("LeaderId").asText(null);
                        if (leader != null && !leader.equals(node) && cluster.running(leader)) {
                            target.compareAndSet(node, leader);
                        } else {
                            rediscover(node);
                        }
                    }
                    default -> {
                        unknown.add(id);
                        rediscover(node);
                    }
                }
            } catch (Exception e) {
                unknown.add(id); // sent, no answer: it may have been applied
                rediscover(node);
            }
        }
    }

    /**
     * After a failure at {@code failed}: ask another running node next (it answers 421 naming the leader it
     * follows, or with no leader while an election runs). No topology fan-out: that would add load exactly when
     * the cluster is busiest.
     */
    private void rediscover(String failed) {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        List<String> ids = new ArrayList<>(cluster.nodes.keySet());
        int at = ids.indexOf(failed);
        for (int k = 1; k <= ids.size(); k++) {
            String next = ids.get((at + k) % ids.size());
            if (cluster.running(next)) {
                target.compareAndSet(failed, next);
                return;
            }
        }
    }

    /** The node the writers currently send to (after acknowledged writes: the leader). */
    String currentTarget() {
        return target.get();
    }

    void awaitAcks(int count, Duration timeout) throws InterruptedException {
        int goal = acks.get() + count;
        ClusterProcesses.await(count + " more acknowledged writes", timeout, () -> acks.get() >= goal);
    }

    /** Marks now (the moment of a kill); {@link #millisToFirstAckAfterMark} measures from here. */
    void mark() {
        firstAckAfterMark.set(0);
        markNanos.set(System.nanoTime());
    }

    /**
     * What a write may cost on this machine now, on top of any fail-over: twice the slowest acknowledged write
     * before the mark, at least one second (the bound the fail-over tests had on a quiet machine).
     */
    Duration writeBudget() {
        return Duration.ofNanos(Math.max(Duration.ofSeconds(1).toNanos(), 2 * slowestAckNanos.get()));
    }

    long millisToFirstAckAfterMark(Duration timeout) throws InterruptedException {
        ClusterProcesses.await("an acknowledged write after the failure", timeout, () -> firstAckAfterMark.get() != 0);
        return (firstAckAfterMark.get() - markNanos.get()) / 1_000_000;
    }

    @Override
    public void close() throws InterruptedException {
        stop.set(true);
        for (Thread w : writers) {
            w.join();
        }
    }
}

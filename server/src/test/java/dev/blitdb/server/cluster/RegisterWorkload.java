package dev.blitdb.server.cluster;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Clients of one register (document {@code register/1} of a database) recording a {@link RegisterHistory}: each
 * reads the register linearizably from a random running node, then compare-and-sets it (PUT with {@code If-Match}
 * on the change vector it read) on the node it believes leads, following 421 answers. 201 = the CAS took effect,
 * 409 = it did not, anything else or no answer = outcome unknown. Reads that do not answer 200/404 add nothing.
 */
final class RegisterWorkload implements AutoCloseable {

    private static final String PATH = "/databases/default/docs?id=register/1";

    final RegisterHistory history = new RegisterHistory();
    /** Successful CAS writes so far. */
    final AtomicInteger writes = new AtomicInteger();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final List<Thread> clients = new ArrayList<>();
    private final ClusterProcesses cluster;

    RegisterWorkload(ClusterProcesses cluster, int clientCount) {
        this.cluster = cluster;
        for (int c = 0; c < clientCount; c++) {
            int client = c;
            clients.add(Thread.ofPlatform().name("register-" + c).start(() -> run(client)));
        }
    }

    private void run(int client) {
        List<String> ids = new ArrayList<>(cluster.nodes.keySet());
        Random random = new Random(client);
        String writeTo = ids.get(client % ids.size());
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos(); // bounded whatever happens
        for (int n = 0; !stop.get() && System.nanoTime() < deadline; n++) {
            String readFrom = ids.get(random.nextInt(ids.size()));
            if (!cluster.running(readFrom)) {
                continue;
            }
            String value;
            String cv;
            long t0 = System.nanoTime();
            try {
                var r = cluster.get(readFrom, PATH + "&consistency=linearizable");
                long t1 = System.nanoTime();
                if (r.statusCode() == 404) {
                    value = null;
                    cv = "";
                } else if (r.statusCode() == 200) {
                    JsonNode doc = ClusterTestBase.json(r);
                    value = doc.path("V").asText();
                    cv = doc.path("@metadata").path("@change-vector").asText();
                } else {
                    continue; // no answer from the register: no constraint
                }
                history.add(RegisterHistory.Kind.READ, null, value, RegisterHistory.Outcome.OK, t0, t1);
            } catch (Exception e) {
                continue;
            }
            String next = client + "-" + n;
            if (!cluster.running(writeTo)) {
                writeTo = ids.get((ids.indexOf(writeTo) + 1) % ids.size());
                continue;
            }
            long w0 = System.nanoTime();
            RegisterHistory.Outcome outcome;
            try {
                var r = cluster.send(writeTo, "PUT", PATH, "{\"V\":\"" + next + "\"}", Map.of("If-Match",
                        cv.isEmpty() ? "\"\"" : "\"" + cv + "\""));
                if (r.statusCode() == 421) {
                    String leader = ClusterTestBase.json(r).path("LeaderId").asText(null);
                    writeTo = leader != null && !leader.equals(writeTo) && cluster.running(leader) ? leader
                            : ids.get((ids.indexOf(writeTo) + 1) % ids.size());
                    continue; // refused before proposing: no effect
                }
                outcome = switch (r.statusCode()) {
                    case 201 -> RegisterHistory.Outcome.OK;
                    case 409 -> RegisterHistory.Outcome.FAILED;
                    default -> RegisterHistory.Outcome.UNKNOWN;
                };
                if (outcome == RegisterHistory.Outcome.UNKNOWN) {
                    writeTo = ids.get((ids.indexOf(writeTo) + 1) % ids.size()); // 504: try someone else next
                }
            } catch (Exception e) {
                outcome = RegisterHistory.Outcome.UNKNOWN;
            }
            history.add(RegisterHistory.Kind.CAS, value, next, outcome, w0, System.nanoTime());
            if (outcome == RegisterHistory.Outcome.OK) {
                writes.incrementAndGet();
            }
        }
    }

    /** Waits for {@code count} more successful CAS writes. */
    void awaitWrites(String what, int count, Duration timeout) throws InterruptedException {
        int goal = writes.get() + count;
        ClusterProcesses.await(what, timeout, () -> writes.get() >= goal);
    }

    /** Stops the clients and returns null when the history is linearizable, else why not. */
    String stopAndCheck() throws InterruptedException {
        close();
        System.out.println("register history: " + history.ops().size() + " operations, " + writes.get()
                + " successful CAS");
        return history.check();
    }

    @Override
    public void close() throws InterruptedException {
        stop.set(true);
        for (Thread t : clients) {
            t.join();
        }
    }
}

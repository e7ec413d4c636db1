package dev.blitdb.indexing.execution;

import dev.blitdb.indexing.lucene.FaultyDirectory;
import dev.blitdb.indexing.manager.IndexManager;
import dev.blitdb.storage.documents.DocumentStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.management.ManagementFactory;
import java.lang.management.MonitorInfo;
import java.lang.management.ThreadInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Queries never wait on another index's administration: index B is created, reset and deleted (twice), and each
 * operation that syncs index B under the manager's admin lock (every creation, usually a deletion) is stopped there — its {@code sync} held at a
 * gate, the admin thread seen (through {@code ThreadMXBean}) holding the manager's monitor — while queries on index
 * A run to completion; only then is the gate opened. Nothing is timed: a query that needed the lock could not
 * finish until the gate opens, so it would fail the bounded wait however fast or loaded the machine is.
 */
class QueriesDuringIndexAdministrationTest extends IndexingTestBase {

    private static final String SLOW_B = "{\"Name\":\"Slow/ByName\",\"Collection\":\"Users\",\"Fields\":{\"Name\":"
            + "{\"Path\":\"Name\",\"Type\":\"Keyword\"}}}";
    /** Generous: queries of 40 documents that are not blocked finish in milliseconds even on a loaded machine. */
    private static final long QUERY_WAIT_SECONDS = 30;

    private final FaultyDirectory.Faults gatedForB = new FaultyDirectory.Faults();

    @Override
    void open() throws Exception {
        store = DocumentStore.open(folder.resolve("db"));
        var plain = dev.blitdb.indexing.lucene.LuceneIndex.DirectoryFactory.MMAP;
        var gated = gatedForB.factory();
        indexes = IndexManager.open("db", store, folder.resolve("db").resolve("indexes"), spawner,
                SMALL_BATCHES.withDirectories(dir -> dir.getFileName().toString().startsWith("slow")
                        ? gated.open(dir) : plain.open(dir)));
    }

    /** An admin operation on index B. */
    private interface Admin {
        void run() throws Exception;
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void shouldAnswerQueriesOnOneIndexWhileAnotherIsCreatedResetAndDeleted() throws Exception {
        define("{\"Name\":\"Users/ByCity\",\"Collection\":\"Users\",\"Fields\":{\"City\":{\"Path\":\"Address.City\","
                + "\"Type\":\"Keyword\"}}}");
        for (int i = 0; i < 40; i++) {
            put("users/" + i, user("U" + i, 20 + i, i % 2 == 0 ? "Paris" : "Oslo"));
        }
        assertEquals(20, ids("from index 'Users/ByCity' where City = 'Paris'").size());

        List<String> heldUnderLock = new ArrayList<>();
        int queries = 0;
        for (int round = 0; round < 2; round++) {
            queries += whileHeld("create #" + round, () -> define(SLOW_B), heldUnderLock);
            queries += whileHeld("reset #" + round, () -> indexes.reset("Slow/ByName"), heldUnderLock);
            queries += whileHeld("delete #" + round, () -> indexes.delete("Slow/ByName"), heldUnderLock);
        }
        // Each creation syncs index B's first (empty) commit under the lock: both were held there. A deletion is held
        // when it syncs (or waits for B's worker, held in a sync) under the lock — usually; a reset only signals
        // the worker, which resets outside the lock.
        assertTrue(heldUnderLock.containsAll(List.of("create #0", "create #1")),
                "every creation of index B must have been stopped inside the manager's lock: " + heldUnderLock);
        assertTrue(queries >= 10 * heldUnderLock.size(), queries + " queries for " + heldUnderLock);
    }

    /**
     * Runs {@code admin} on its own thread with index B's syncs held; if it is stopped at the gate while holding
     * the manager's monitor, runs queries on index A to completion before opening the gate (and records the
     * operation in {@code heldUnderLock}). Returns how many queries ran.
     */
    private int whileHeld(String name, Admin admin, List<String> heldUnderLock) throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        gatedForB.syncsHeld.set(0);
        gatedForB.syncGate = gate;
        FutureTask<Void> task = new FutureTask<>(() -> {
            admin.run();
            return null;
        });
        Thread thread = new Thread(task, "admin-" + name);
        thread.start();
        int ran = 0;
        try {
            while (!task.isDone()) {
                if (gatedForB.syncsHeld.get() > 0 && stoppedHoldingManager(thread)) {
                    ran = queriesOnA(name);
                    // Still holding the monitor, whatever it waits on now: a deletion first waits for its own store
                    // commit, then for B's worker, held at the gate, and may be caught running between the two.
                    assertTrue(holdsManager(thread) && !task.isDone(),
                            name + " must still hold the manager's lock after the queries ran");
                    heldUnderLock.add(name);
                    break;
                }
                thread.join(5); // a poll interval, not a bound: returns early when the operation ends
            }
        } finally {
            gatedForB.syncGate = null;
            gate.countDown();
        }
        task.get(60, TimeUnit.SECONDS);
        return ran;
    }

    /** Ten queries on index A, each checked, all of which must finish while B's administration is stopped. */
    private int queriesOnA(String during) throws Exception {
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> {
            try {
                for (int i = 0; i < 10; i++) {
                    var answer = query("from index 'Users/ByCity' where City = 'Oslo'", Map.of(), false);
                    assertEquals(20, answer.result().totalResults());
                    assertFalse(answer.result().isStale());
                }
                return 10;
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        try {
            return run.get(QUERY_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            return fail("queries on index A did not finish while index B's " + during + " held the manager's lock: "
                    + "they wait on it");
        }
    }

    /** Whether {@code thread} is waiting (not running) while it holds the index manager's monitor. */
    private boolean stoppedHoldingManager(Thread thread) {
        ThreadInfo info = threadInfo(thread);
        return info != null && info.getThreadState() == Thread.State.WAITING && holdsManager(info);
    }

    /** Whether {@code thread} holds the index manager's monitor, running or waiting on something else. */
    private boolean holdsManager(Thread thread) {
        ThreadInfo info = threadInfo(thread);
        return info != null && holdsManager(info);
    }

    private static ThreadInfo threadInfo(Thread thread) {
        return ManagementFactory.getThreadMXBean().getThreadInfo(new long[]{thread.threadId()}, true, false)[0];
    }

    private boolean holdsManager(ThreadInfo info) {
        for (MonitorInfo m : info.getLockedMonitors()) {
            if (m.getIdentityHashCode() == System.identityHashCode(indexes)
                    && m.getClassName().equals(IndexManager.class.getName())) {
                return true;
            }
        }
        return false;
    }
}

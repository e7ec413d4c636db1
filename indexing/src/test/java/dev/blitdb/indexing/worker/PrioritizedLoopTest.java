package dev.blitdb.indexing.worker;

import dev.blitdb.indexing.definition.IndexPriority;
import dev.blitdb.storage.nativeio.NativeIo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Priorities are checked from the OS side: the nice value in /proc/self/task/{tid}/stat. */
class PrioritizedLoopTest {

    private ThreadSpawner spawner;
    private final List<PrioritizedLoop> loops = new ArrayList<>();

    @BeforeEach
    void setUp() {
        assumeTrue(NativeIo.get().available(), "native access is needed for thread priorities");
        assumeTrue(Files.isDirectory(Path.of("/proc/self/task")), "needs Linux /proc");
        spawner = new ThreadSpawner("test-spawner");
    }

    @AfterEach
    void tearDown() {
        loops.forEach(PrioritizedLoop::close);
        if (spawner != null) {
            spawner.close();
        }
    }

    /** The nice value of a thread, field 19 of its stat line (after the parenthesised name). */
    static int niceFromProc(int tid) throws IOException {
        String stat = Files.readString(Path.of("/proc/self/task/" + tid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Integer.parseInt(fields[16]); // fields[0] is field 3 (state); nice is field 19
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(5);
        }
    }

    private PrioritizedLoop loop(String name, IndexPriority priority, PrioritizedLoop.Unit unit) {
        PrioritizedLoop loop = new PrioritizedLoop(name, priority, unit, t -> { }, spawner);
        loops.add(loop);
        return loop;
    }

    @Test
    void shouldMoveTheWorkersNiceValueDownAndUpLive() throws Exception {
        AtomicLong units = new AtomicLong();
        AtomicReference<String> threadName = new AtomicReference<>();
        PrioritizedLoop loop = loop("index/db/Users-ByName", IndexPriority.NORMAL, () -> {
            units.incrementAndGet();
            threadName.set(Thread.currentThread().getName());
            Thread.sleep(2);
            return true;
        });
        loop.start();
        await(() -> loop.threadId().isPresent() && units.get() > 2, "the loop to run");
        int firstTid = loop.threadId().getAsInt();
        await(() -> loop.effectiveNice().orElse(-100) == 5, "nice 5");
        assertEquals(5, niceFromProc(firstTid));
        assertEquals("index/db/Users-ByName", threadName.get());

        loop.setPriority(IndexPriority.LOW); // in place
        assertEquals(19, niceFromProc(firstTid));
        assertEquals(firstTid, loop.threadId().getAsInt());

        loop.setPriority(IndexPriority.HIGH); // a fresh thread from the base priority
        await(() -> loop.threadId().orElse(firstTid) != firstTid, "the handoff to a new thread");
        int highTid = loop.threadId().getAsInt();
        await(() -> loop.effectiveNice().orElse(-100) == 0, "nice 0");
        assertEquals(0, niceFromProc(highTid));
        assertEquals(1, loop.handoffs());
        long before = units.get();
        await(() -> units.get() > before + 2, "work to go on after the handoff");

        loop.setPriority(IndexPriority.NORMAL);
        assertEquals(5, niceFromProc(highTid));
        assertEquals(IndexPriority.NORMAL, loop.priority());
    }

    @Test
    void shouldLiftANormalLoopToHighWhileBoostedAndLeaveLowAndHighAlone() throws Exception {
        PrioritizedLoop normal = loop("index/db/Normal", IndexPriority.NORMAL, () -> {
            Thread.sleep(2);
            return true;
        });
        PrioritizedLoop low = loop("index/db/Low", IndexPriority.LOW, () -> false);
        PrioritizedLoop high = loop("index/db/High", IndexPriority.HIGH, () -> false);
        normal.start();
        low.start();
        high.start();
        await(() -> normal.effectiveNice().orElse(-100) == 5, "nice 5");
        await(() -> low.effectiveNice().orElse(-100) == 19 && high.effectiveNice().orElse(-100) == 0,
                "the Low and High loops at their nice values");
        int normalTid = normal.threadId().getAsInt();

        normal.boost();
        normal.boost(); // boosts nest
        low.boost();
        high.boost();
        assertTrue(normal.isBoosted());
        assertEquals(IndexPriority.HIGH, normal.effectivePriority());
        assertEquals(IndexPriority.NORMAL, normal.priority(), "the requested priority is unchanged");
        await(() -> normal.threadId().orElse(normalTid) != normalTid, "the handoff to a fresh thread");
        int boostedTid = normal.threadId().getAsInt();
        await(() -> normal.effectiveNice().orElse(-100) == 0, "nice 0 while boosted");
        assertEquals(0, niceFromProc(boostedTid));
        assertEquals(1, normal.handoffs());
        assertEquals(19, niceFromProc(low.threadId().getAsInt()), "Low stays Low");
        assertEquals(IndexPriority.LOW, low.effectivePriority());
        assertEquals(0, niceFromProc(high.threadId().getAsInt()));
        assertEquals(0, low.handoffs() + high.handoffs());

        normal.unboost();
        assertEquals(0, niceFromProc(boostedTid), "one boost is still open");
        normal.unboost();
        assertEquals(5, niceFromProc(boostedTid), "the last unboost lowers the thread in place");
        assertEquals(boostedTid, normal.threadId().getAsInt());
        assertFalse(normal.isBoosted());
        assertEquals(IndexPriority.NORMAL, normal.effectivePriority());
        low.unboost();
        high.unboost();
        assertEquals(19, niceFromProc(low.threadId().getAsInt()));
        assertEquals(0, niceFromProc(high.threadId().getAsInt()));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, normal::unboost);

        // A priority change while boosted: Low wins over the boost at once, Normal comes back boosted.
        normal.boost();
        await(() -> normal.effectiveNice().orElse(-100) == 0, "nice 0 boosted again");
        normal.setPriority(IndexPriority.LOW);
        await(() -> normal.effectiveNice().orElse(-100) == 19, "Low while boosted");
        normal.setPriority(IndexPriority.NORMAL);
        await(() -> normal.effectiveNice().orElse(-100) == 0, "Normal is boosted to nice 0 again");
        normal.unboost();
        await(() -> normal.effectiveNice().orElse(-100) == 5, "nice 5 after the boost");
    }

    @Test
    void shouldSleepWhenIdleAndRunWhenWoken() throws Exception {
        AtomicLong units = new AtomicLong();
        PrioritizedLoop loop = loop("index/db/Idle", IndexPriority.LOW, () -> {
            units.incrementAndGet();
            return false;
        });
        loop.start();
        await(() -> units.get() == 1, "the first unit");
        Thread.sleep(200);
        assertEquals(1, units.get(), "an idle loop must not spin");
        loop.wake();
        await(() -> units.get() == 2, "the unit after a wake-up");
        await(() -> units.get() >= 3, "the once-a-second safety check");
    }

    @Test
    void shouldPauseAndResume() throws Exception {
        AtomicLong units = new AtomicLong();
        PrioritizedLoop loop = loop("index/db/Paused", IndexPriority.NORMAL, () -> {
            units.incrementAndGet();
            Thread.sleep(1);
            return true;
        });
        loop.start();
        await(() -> units.get() > 0, "work");
        loop.pause();
        Thread.sleep(50);
        long paused = units.get();
        Thread.sleep(200);
        assertEquals(paused, units.get(), "no work while paused");
        assertTrue(loop.isPaused());
        loop.resume();
        await(() -> units.get() > paused, "work after resume");
        assertFalse(loop.isPaused());
    }

    @Test
    void shouldKeepGoingAfterAFailingUnitAndStopOnClose() throws Exception {
        AtomicLong units = new AtomicLong();
        List<Throwable> failures = new ArrayList<>();
        PrioritizedLoop loop = new PrioritizedLoop("index/db/Failing", IndexPriority.NORMAL, () -> {
            if (units.incrementAndGet() == 1) {
                throw new IllegalStateException("first unit fails");
            }
            return true;
        }, failures::add, spawner);
        loops.add(loop);
        loop.start();
        await(() -> units.get() > 3, "work after a failure");
        assertEquals("first unit fails", failures.getFirst().getMessage());
        Thread thread = loop.thread();
        loop.close();
        assertFalse(thread.isAlive());
        assertNotEquals(0, units.get());
    }
}

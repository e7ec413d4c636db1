package dev.blitdb.indexing.worker;

import dev.blitdb.indexing.definition.IndexPriority;
import dev.blitdb.storage.nativeio.NativeIo;

import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Runs a unit of work over and over on one dedicated platform thread whose OS nice value follows a live-tunable
 * {@link IndexPriority}. This is what makes "index priority is the OS's job" true:
 *
 * <ul>
 *   <li><b>Lowering</b> the priority (raising nice) is a {@code setpriority} call on the worker's own thread id,
 *       which any thread may make for its own process; it takes effect at once.</li>
 *   <li><b>Raising</b> it (lowering nice) is not allowed to an unprivileged thread, so the loop is handed to a
 *       fresh thread started by the {@link ThreadSpawner} (at the base nice value), which waits for the old
 *       thread to finish its current unit, then sets its own nice to the requested value and carries on. The
 *       old thread exits at its next unit boundary. Only one thread ever runs the work at a time.</li>
 * </ul>
 *
 * The unit of work must be bounded in time (a batch of bounded count and duration) so that a handoff, a pause
 * or a close takes effect quickly. When a unit reports there is nothing to do, the loop sleeps until
 * {@link #wake()} (or a safety timeout). Without native access priorities are not applied; stats say so by
 * reporting no effective nice value.
 */
public final class PrioritizedLoop implements AutoCloseable {

    /** One bounded unit of work. */
    @FunctionalInterface
    public interface Unit {
        /** Does some work; returns false when there is nothing to do until the next {@link #wake()}. */
        boolean runOnce() throws Exception;
    }

    /** Receives failures of a unit; the loop backs off briefly and goes on. */
    @FunctionalInterface
    public interface FailureHandler {
        void failed(Throwable failure);
    }

    /** How long an idle loop sleeps without a wake-up before checking again (guards a lost signal). */
    static final long IDLE_CHECK_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long FAILURE_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    private final String name;
    private final Unit unit;
    private final FailureHandler failures;
    private final ThreadSpawner spawner;
    private final NativeIo nativeIo = NativeIo.get();

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition signal = lock.newCondition();
    /** Signalled when a generation's thread has applied its first nice value and published its thread id. */
    private final Condition started = lock.newCondition();
    private int startedGeneration;
    /** How long {@link #start()} waits for the thread to reach its priority before returning anyway. */
    private static final long START_WAIT_NANOS = TimeUnit.SECONDS.toNanos(5);
    private IndexPriority requested;
    /** Open {@link #boost()}s; while any, a {@code Normal} loop runs at {@code High}. */
    private int boosts;
    private int generation;
    private Thread thread;
    private volatile int tid = -1;
    private boolean wakeRequested;
    private boolean paused;
    private boolean closed;
    private volatile int handoffs;

    public PrioritizedLoop(String name, IndexPriority priority, Unit unit, FailureHandler failures,
                           ThreadSpawner spawner) {
        this.name = name;
        this.requested = priority;
        this.unit = unit;
        this.failures = failures;
        this.spawner = spawner;
    }

    /** Starts the worker thread. */
    public void start() {
        lock.lock();
        try {
            if (thread != null || closed) {
                throw new IllegalStateException("loop " + name + " already started or closed");
            }
            int gen = ++generation;
            thread = spawner.spawn(name, () -> run(gen, null));
            // Wait until the thread runs at its requested nice value, so that whoever created the index sees the
            // priority in effect (stats read the nice value from the OS) rather than the spawner's base value.
            long left = START_WAIT_NANOS;
            while (startedGeneration < gen && !closed && left > 0) {
                left = started.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
    }

    /** Asks the worker to look for work now. */
    public void wake() {
        lock.lock();
        try {
            wakeRequested = true;
            signal.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Stops running units after the current one until {@link #resume()}. */
    public void pause() {
        lock.lock();
        try {
            paused = true;
        } finally {
            lock.unlock();
        }
    }

    public void resume() {
        lock.lock();
        try {
            paused = false;
            wakeRequested = true;
            signal.signalAll();
        } finally {
            lock.unlock();
        }
    }

    public boolean isPaused() {
        lock.lock();
        try {
            return paused;
        } finally {
            lock.unlock();
        }
    }

    /** Changes the priority live: in place when lowering, by handing off to a fresh thread when raising. */
    public void setPriority(IndexPriority priority) {
        lock.lock();
        try {
            IndexPriority before = effective();
            requested = priority;
            apply(before);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Lifts a {@code Normal} loop to {@code High} until a matching {@link #unboost()} (boosts nest): for bulk
     * work the user waits to see indexed, such as an import. {@code Low} and {@code High} are left as they are.
     */
    public void boost() {
        lock.lock();
        try {
            IndexPriority before = effective();
            boosts++;
            apply(before);
        } finally {
            lock.unlock();
        }
    }

    /** Ends one {@link #boost()}; the last one returns the thread to its requested priority at once. */
    public void unboost() {
        lock.lock();
        try {
            if (boosts == 0) {
                throw new IllegalStateException("loop " + name + " is not boosted");
            }
            IndexPriority before = effective();
            boosts--;
            apply(before);
        } finally {
            lock.unlock();
        }
    }

    /** Whether a {@link #boost()} is in effect. */
    public boolean isBoosted() {
        lock.lock();
        try {
            return boosts > 0;
        } finally {
            lock.unlock();
        }
    }

    /** The priority the thread runs at: the requested one, {@code Normal} lifted to {@code High} while boosted. */
    private IndexPriority effective() {
        return boosts > 0 && requested == IndexPriority.NORMAL ? IndexPriority.HIGH : requested;
    }

    /** Under the lock: moves the thread from {@code before} to the effective priority. */
    private void apply(IndexPriority before) {
        IndexPriority priority = effective();
        if (thread == null || closed || priority == before) {
            return;
        }
        Optional<Integer> current = tid > 0 ? nativeIo.threadNice(tid) : Optional.empty();
        boolean raising = current.map(nice -> priority.nice() < nice).orElse(priority.nice() < before.nice());
        if (raising) {
            int gen = ++generation;
            Thread old = thread;
            handoffs++;
            thread = spawner.spawn(name, () -> run(gen, old));
            signal.signalAll(); // the old thread exits at its next check
        } else if (tid > 0) {
            nativeIo.setThreadNice(tid, priority.nice()); // any thread may lower its process's threads
        }
    }

    public IndexPriority priority() {
        lock.lock();
        try {
            return requested;
        } finally {
            lock.unlock();
        }
    }

    /** The priority the thread is meant to run at now: {@link #priority()}, or {@code High} while boosted. */
    public IndexPriority effectivePriority() {
        lock.lock();
        try {
            return effective();
        } finally {
            lock.unlock();
        }
    }

    /** The worker's kernel thread id, or empty before it runs or without native access. */
    public OptionalInt threadId() {
        int t = tid;
        return t > 0 ? OptionalInt.of(t) : OptionalInt.empty();
    }

    /** The worker thread's nice value as the OS reports it now, or empty if unknown. */
    public Optional<Integer> effectiveNice() {
        int t = tid;
        return t > 0 ? nativeIo.threadNice(t) : Optional.empty();
    }

    /** How many times the loop moved to a fresh thread to raise its priority. */
    public int handoffs() {
        return handoffs;
    }

    public Thread thread() {
        lock.lock();
        try {
            return thread;
        } finally {
            lock.unlock();
        }
    }

    private void run(int gen, Thread predecessor) {
        if (predecessor != null) {
            joinQuietly(predecessor);
        }
        OptionalInt myTid = nativeIo.gettid();
        IndexPriority applied = null;
        if (myTid.isPresent()) {
            // Apply the first nice value before the thread id is published: nobody reads the base value as effective.
            IndexPriority first = effectivePriority();
            nativeIo.setThreadNice(myTid.getAsInt(), first.nice());
            applied = first;
        }
        boolean published = false;
        while (true) {
            IndexPriority wanted;
            lock.lock();
            try {
                if (gen != generation || closed) {
                    return;
                }
                if (!published) {
                    tid = myTid.orElse(-1);
                    published = true;
                    startedGeneration = Math.max(startedGeneration, gen);
                    started.signalAll();
                }
                wanted = effective();
                if (paused || (!wakeRequested && applied != null && idle)) {
                    awaitSignal();
                    continue;
                }
                wakeRequested = false;
                idle = false;
            } finally {
                lock.unlock();
            }
            if (wanted != applied && myTid.isPresent()) {
                // Lowering is always allowed; raising here only happens on a fresh thread, from the base nice.
                nativeIo.setThreadNice(myTid.getAsInt(), wanted.nice());
                applied = wanted;
            } else if (applied == null) {
                applied = wanted;
            }
            try {
                boolean didWork = unit.runOnce();
                if (!didWork) {
                    markIdle();
                }
            } catch (Throwable t) {
                failures.failed(t);
                sleepQuietly(FAILURE_BACKOFF_NANOS);
            }
        }
    }

    private boolean idle;

    private void markIdle() {
        lock.lock();
        try {
            if (!wakeRequested) {
                idle = true;
            }
        } finally {
            lock.unlock();
        }
    }

    private void awaitSignal() {
        try {
            long left = signal.awaitNanos(IDLE_CHECK_NANOS);
            if (left <= 0 && !paused) {
                wakeRequested = true; // safety net: look for work once a second even without a signal
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        }
    }

    private static void joinQuietly(Thread t) {
        boolean interrupted = false;
        while (t.isAlive()) {
            try {
                t.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleepQuietly(long nanos) {
        try {
            TimeUnit.NANOSECONDS.sleep(nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the loop after its current unit and waits for the thread to end. */
    @Override
    public void close() {
        Thread t;
        lock.lock();
        try {
            closed = true;
            signal.signalAll();
            t = thread;
        } finally {
            lock.unlock();
        }
        if (t != null && t != Thread.currentThread()) {
            joinQuietly(t);
        }
    }
}

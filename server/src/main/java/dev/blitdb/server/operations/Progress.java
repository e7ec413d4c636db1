package dev.blitdb.server.operations;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The progress of one operation, written by its job and read by {@code GET /operations/{id}}: how much is done of
 * how much ({@code total} = -1 while unknown), in the job's own unit (pages, documents, bytes — the unit is named
 * by {@link #unit}). Byte throughput is measured from {@link #addBytes}. Thread-safe; lock-free.
 */
public final class Progress {

    private final AtomicLong processed = new AtomicLong();
    private final AtomicLong total = new AtomicLong(-1);
    private final AtomicLong bytes = new AtomicLong();
    private final long startNanos = System.nanoTime();
    private volatile long endNanos;
    private volatile String unit = "items";
    private volatile boolean cancelRequested;

    public void unit(String unit) {
        this.unit = unit;
    }

    public void total(long total) {
        this.total.set(total);
    }

    public void processed(long processed) {
        this.processed.set(processed);
    }

    public void add(long processed) {
        this.processed.addAndGet(processed);
    }

    public void addBytes(long n) {
        bytes.addAndGet(n);
    }

    /** Throws {@link OperationCancelledException} once a cancel was requested; jobs call it between steps. */
    public void checkCancelled() {
        if (cancelRequested) {
            throw new OperationCancelledException("cancelled at " + processed.get() + " of " + total.get() + " " + unit);
        }
    }

    public boolean cancelRequested() {
        return cancelRequested;
    }

    /** Stops the clock: a finished operation keeps reporting the rate it ran at. */
    void stopClock() {
        endNanos = System.nanoTime();
    }

    void requestCancel() {
        cancelRequested = true;
    }

    /** A consistent-enough view for the JSON: numbers read once each. */
    public Snapshot snapshot() {
        long p = processed.get();
        long t = total.get();
        long end = endNanos;
        double seconds = Math.max(1e-3, ((end != 0 ? end : System.nanoTime()) - startNanos) / 1e9);
        double percent = t > 0 ? Math.min(100.0, 100.0 * p / t) : (t == 0 ? 100.0 : -1);
        long bps = (long) (bytes.get() / seconds);
        long eta = t > 0 && p > 0 && p < t ? (long) Math.ceil((t - p) * seconds / p) : (t >= 0 && p >= t ? 0 : -1);
        return new Snapshot(p, t, unit, Math.round(percent * 10) / 10.0, bps, eta);
    }

    /**
     * Progress as reported: {@code Percent} and {@code EtaSeconds} are -1 while the total is unknown.
     */
    public record Snapshot(long processed, long total, String unit, double percent, long bytesPerSecond,
                           long etaSeconds) {
    }
}

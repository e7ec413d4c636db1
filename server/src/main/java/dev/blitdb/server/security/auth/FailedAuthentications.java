package dev.blitdb.server.security.auth;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Limits failed authentications per client address: after {@link #maxFailures} refused credentials within one
 * {@link #windowMillis} window, every request from that address is answered 429 until the window ends (also with
 * a right key, so guessing cannot go on). Only failures touch the table; while no address is blocked a request
 * costs one volatile read.
 */
public final class FailedAuthentications {

    public static final int DEFAULT_MAX_FAILURES = 10;
    public static final long DEFAULT_WINDOW_MILLIS = 60_000;

    private final int maxFailures;
    private final long windowMillis;
    private final ConcurrentHashMap<String, Window> byAddress = new ConcurrentHashMap<>();
    private final AtomicInteger blocked = new AtomicInteger();

    private static final class Window {
        final long startMillis;
        int failures;
        boolean blocked;

        Window(long startMillis) {
            this.startMillis = startMillis;
        }
    }

    public FailedAuthentications(int maxFailures, long windowMillis) {
        this.maxFailures = maxFailures;
        this.windowMillis = windowMillis;
    }

    public int maxFailures() {
        return maxFailures;
    }

    /** Whether any address is blocked now (cheap; the caller then asks {@link #retryAfterSeconds}). */
    public boolean anyBlocked() {
        return blocked.get() > 0;
    }

    /** Seconds until {@code address} may try again, or 0 if it is not blocked. */
    public long retryAfterSeconds(String address, long nowMillis) {
        Window w = byAddress.get(address);
        if (w == null) {
            return 0;
        }
        synchronized (w) {
            long left = w.startMillis + windowMillis - nowMillis;
            if (left <= 0) {
                expire(address, w);
                return 0;
            }
            return w.blocked ? Math.max(1, (left + 999) / 1000) : 0;
        }
    }

    /** Counts a failure; answers the seconds to wait if this one crossed the limit (or it was already crossed). */
    public long recordFailure(String address, long nowMillis) {
        while (true) {
            Window w = byAddress.computeIfAbsent(address, a -> new Window(nowMillis));
            synchronized (w) {
                if (nowMillis - w.startMillis >= windowMillis) {
                    expire(address, w);
                    continue;
                }
                w.failures++;
                if (w.failures >= maxFailures && !w.blocked) {
                    w.blocked = true;
                    blocked.incrementAndGet();
                }
                return w.blocked ? Math.max(1, (w.startMillis + windowMillis - nowMillis + 999) / 1000) : 0;
            }
        }
    }

    private void expire(String address, Window w) {
        if (byAddress.remove(address, w) && w.blocked) {
            blocked.decrementAndGet();
        }
    }
}

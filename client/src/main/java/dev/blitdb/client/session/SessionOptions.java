package dev.blitdb.client.session;

/**
 * Options of one session.
 *
 * @param useOptimisticConcurrency true/false to override the store's convention for this session; null to follow
 *                                 it. With it on, every saved document carries the change vector the session
 *                                 last saw (or "must not exist yet" for a new one) and a mismatch fails the whole
 *                                 {@code saveChanges} with {@code ConcurrencyException}.
 * @param maxRequests              the session's request budget; 0 to follow the store's convention (30)
 */
public record SessionOptions(Boolean useOptimisticConcurrency, int maxRequests) {

    /** Options that follow the store's conventions. */
    public static SessionOptions defaults() {
        return new SessionOptions(null, 0);
    }

    public SessionOptions {
        if (maxRequests < 0) {
            throw new IllegalArgumentException("maxRequests must be ≥ 0 (0 = the store's default), got "
                    + maxRequests);
        }
    }

    /** These options with optimistic concurrency on or off. */
    public SessionOptions withOptimisticConcurrency(boolean use) {
        return new SessionOptions(use, maxRequests);
    }

    /** These options with a request budget of {@code max}. */
    public SessionOptions withMaxRequests(int max) {
        return new SessionOptions(useOptimisticConcurrency, max);
    }
}

package dev.blitdb.storage.merger;

import java.time.Duration;

/**
 * Bounds of one merged transaction: it closes when any is reached, or when the queue is empty.
 *
 * @param maxOperations operations per transaction (default 1024)
 * @param maxBytes      sum of the operations' declared sizes (default 32 MiB)
 * @param maxBatchTime  time spent applying before committing (default 20 ms), so one batch never delays the
 *                      first caller's acknowledgement by much
 * @param queueCapacity submissions waiting; beyond it {@code submit} blocks the caller (back-pressure)
 */
public record MergerOptions(int maxOperations, long maxBytes, Duration maxBatchTime, int queueCapacity) {

    public MergerOptions {
        if (maxOperations < 1 || maxBytes < 1 || maxBatchTime.isNegative() || queueCapacity < 1) {
            throw new IllegalArgumentException("merger bounds must be positive: " + maxOperations + " ops, "
                    + maxBytes + " bytes, " + maxBatchTime + ", queue " + queueCapacity);
        }
    }

    public static MergerOptions defaults() {
        return new MergerOptions(1024, 32L << 20, Duration.ofMillis(20), 65_536);
    }
}

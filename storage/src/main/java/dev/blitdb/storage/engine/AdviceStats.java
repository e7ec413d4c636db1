package dev.blitdb.storage.engine;

/**
 * Counters of {@code madvise} calls made by a store since it opened.
 *
 * @param calls     calls that reached the kernel and succeeded
 * @param bytes     bytes covered by those calls (page-aligned)
 * @param failures  calls the kernel refused (their errno was logged once)
 * @param skipped   calls skipped because native access is unavailable
 */
public record AdviceStats(long calls, long bytes, long failures, long skipped) {
}

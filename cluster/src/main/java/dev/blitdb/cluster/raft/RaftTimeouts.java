package dev.blitdb.cluster.raft;

import java.time.Duration;

/**
 * Raft timing. A follower that hears nothing from its leader for a random time in
 * {@code [electionMin, electionMax]} starts an election; a leader that hears no majority for {@code electionMax}
 * steps down. Ratis's defaults (150-300 ms) suit dedicated machines; a loaded two-core box with three JVMs sees GC
 * and scheduling pauses of that size, and every spurious election costs writes their outcome, so the default here
 * is 1-2 s: fail-over of about 1-3 s, no elections from ordinary pauses.
 */
public record RaftTimeouts(Duration electionMin, Duration electionMax) {

    public static final RaftTimeouts DEFAULT = new RaftTimeouts(Duration.ofMillis(1000), Duration.ofMillis(2000));

    public RaftTimeouts {
        if (electionMin.toMillis() < 50 || electionMax.compareTo(electionMin) <= 0) {
            throw new IllegalArgumentException("election timeouts must satisfy 50 ms <= min < max, got "
                    + electionMin.toMillis() + " and " + electionMax.toMillis() + " ms");
        }
    }

    /** From {@code min-max} in milliseconds, e.g. {@code 1000-2000}. */
    public static RaftTimeouts parse(String text) {
        String[] parts = text.split("-");
        if (parts.length != 2) {
            throw new IllegalArgumentException("election timeout must be min-max in ms, e.g. 1000-2000, not '" + text + "'");
        }
        try {
            return new RaftTimeouts(Duration.ofMillis(Long.parseLong(parts[0].trim())),
                    Duration.ofMillis(Long.parseLong(parts[1].trim())));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("election timeout must be min-max in ms, e.g. 1000-2000, not '" + text + "'");
        }
    }
}

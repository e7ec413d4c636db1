package dev.blitdb.server.cluster;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A history of operations on one register (a document holding one value) and a linearizability check over it,
 * after Wing and Gong with Lowe's memoisation: search for an order of the operations that respects real time
 * (an operation that ended before another began comes first) and in which every operation's result is what a
 * single register would give. Operations whose outcome is unknown (no answer, 504) may take effect at any point
 * after they began, or never.
 *
 * <p>Operations: {@code READ} returns the value (null = no document); {@code CAS expected → value} writes when the
 * register holds {@code expected} (If-Match on the change vector the client read with it; null expected = the
 * document must not exist); a CAS that answered 409 asserts the register did NOT hold {@code expected}.
 */
final class RegisterHistory {

    enum Kind { READ, CAS }

    enum Outcome { OK, FAILED, UNKNOWN }

    record Op(int id, Kind kind, String expected, String value, Outcome outcome, long invokedNanos,
              long completedNanos) {
    }

    private final List<Op> ops = new ArrayList<>();

    synchronized void add(Kind kind, String expected, String value, Outcome outcome, long invoked, long completed) {
        ops.add(new Op(ops.size(), kind, expected, value, outcome, invoked,
                outcome == Outcome.UNKNOWN ? Long.MAX_VALUE : completed));
    }

    synchronized List<Op> ops() {
        return List.copyOf(ops);
    }

    /** Null when the history is linearizable; else a description of why not. */
    String check() {
        List<Op> all = ops();
        Set<Key> seen = new HashSet<>();
        return search(all, new BitSet(all.size()), null, seen) ? null
                : "no linearization of " + all.size() + " operations exists: " + all;
    }

    private record Key(BitSet done, String state) {
    }

    private boolean search(List<Op> all, BitSet done, String state, Set<Key> seen) {
        if (done.cardinality() == all.size()) {
            return true;
        }
        if (!seen.add(new Key((BitSet) done.clone(), state))) {
            return false;
        }
        long earliestEnd = Long.MAX_VALUE;
        for (int i = done.nextClearBit(0); i < all.size(); i = done.nextClearBit(i + 1)) {
            earliestEnd = Math.min(earliestEnd, all.get(i).completedNanos());
        }
        for (int i = done.nextClearBit(0); i < all.size(); i = done.nextClearBit(i + 1)) {
            Op op = all.get(i);
            if (op.invokedNanos() > earliestEnd) {
                continue; // some other pending operation finished before this one began: it must come first
            }
            done.set(i);
            try {
                if (op.outcome() == Outcome.UNKNOWN) {
                    // Either it never happened ...
                    if (search(all, done, state, seen)) {
                        return true;
                    }
                    // ... or it happened here, with whatever result the register gave.
                    if (op.kind() == Kind.CAS && Objects.equals(state, op.expected())
                            && search(all, done, op.value(), seen)) {
                        return true;
                    }
                    continue;
                }
                String next = apply(op, state);
                if (next != INVALID && search(all, done, next, seen)) {
                    return true;
                }
            } finally {
                done.clear(i);
            }
        }
        return false;
    }

    private static final String INVALID = new String("invalid");

    private static String apply(Op op, String state) {
        return switch (op.kind()) {
            case READ -> Objects.equals(op.value(), state) ? state : INVALID;
            case CAS -> switch (op.outcome()) {
                case OK -> Objects.equals(op.expected(), state) ? op.value() : INVALID;
                case FAILED -> Objects.equals(op.expected(), state) ? INVALID : state;
                case UNKNOWN -> throw new IllegalStateException("handled by the caller");
            };
        };
    }
}

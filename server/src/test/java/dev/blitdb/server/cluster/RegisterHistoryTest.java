package dev.blitdb.server.cluster;

import org.junit.jupiter.api.Test;

import static dev.blitdb.server.cluster.RegisterHistory.Kind.CAS;
import static dev.blitdb.server.cluster.RegisterHistory.Kind.READ;
import static dev.blitdb.server.cluster.RegisterHistory.Outcome.FAILED;
import static dev.blitdb.server.cluster.RegisterHistory.Outcome.OK;
import static dev.blitdb.server.cluster.RegisterHistory.Outcome.UNKNOWN;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The checker itself: it accepts linearizable histories and finds the violations it is there to find. */
class RegisterHistoryTest {

    @Test
    void shouldAcceptOverlappingOperationsInSomeValidOrder() {
        RegisterHistory h = new RegisterHistory();
        h.add(CAS, null, "1", OK, 0, 10);
        h.add(READ, null, "2", OK, 5, 30);    // overlaps both writes: may see 2
        h.add(CAS, "1", "2", OK, 8, 20);
        h.add(CAS, "1", "3", FAILED, 21, 25); // register held 2 by then
        h.add(READ, null, "2", OK, 26, 27);
        assertNull(h.check());
    }

    @Test
    void shouldRejectAStaleReadAfterAnAcknowledgedWrite() {
        RegisterHistory h = new RegisterHistory();
        h.add(CAS, null, "1", OK, 0, 10);
        h.add(CAS, "1", "2", OK, 11, 20);
        h.add(READ, null, "1", OK, 21, 22); // began after "2" was acknowledged: a lost or stale write
        assertNotNull(h.check());
    }

    @Test
    void shouldRejectTwoSuccessfulCompareAndSetsFromTheSameValue() {
        RegisterHistory h = new RegisterHistory();
        h.add(CAS, null, "1", OK, 0, 1);
        h.add(CAS, "1", "2", OK, 2, 10);
        h.add(CAS, "1", "3", OK, 3, 11);
        assertNotNull(h.check());
    }

    @Test
    void shouldLetAnUnknownWriteTakeEffectLateOrNever() {
        RegisterHistory late = new RegisterHistory();
        late.add(CAS, null, "1", OK, 0, 1);
        late.add(CAS, "1", "2", UNKNOWN, 2, 3);
        late.add(READ, null, "1", OK, 4, 5);
        late.add(READ, null, "2", OK, 6, 7);
        assertNull(late.check());
        RegisterHistory never = new RegisterHistory();
        never.add(CAS, null, "1", OK, 0, 1);
        never.add(CAS, "1", "2", UNKNOWN, 2, 3);
        never.add(READ, null, "1", OK, 4, 5);
        assertNull(never.check());
        RegisterHistory back = new RegisterHistory();
        back.add(CAS, null, "1", OK, 0, 1);
        back.add(CAS, "1", "2", UNKNOWN, 2, 3);
        back.add(READ, null, "2", OK, 4, 5);
        back.add(READ, null, "1", OK, 6, 7); // once 2 was seen, 1 cannot come back
        assertNotNull(back.check());
    }
}

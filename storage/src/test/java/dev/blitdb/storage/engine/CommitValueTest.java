package dev.blitdb.storage.engine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The 8-byte commit value: atomic with its commit, inherited by later commits, read back after reopen. */
class CommitValueTest {

    @TempDir
    Path dir;

    @Test
    void theCommitValueTravelsWithItsCommit() throws Exception {
        StoreOptions o = StoreOptions.defaults().withMinGrowth(16 * Limits.PAGE_SIZE);
        try (Store s = Store.open(dir, o)) {
            try (ReadTxn r = s.beginRead()) {
                assertEquals(0, r.commitValue());
            }
            try (WriteTxn w = s.beginWrite()) {
                w.put("t", "a".getBytes(), "1".getBytes());
                w.setCommitValue(41);
                assertEquals(41, w.commitValue());
                w.commit();
            }
            try (WriteTxn w = s.beginWrite()) { // a commit that only moves the value still commits
                w.setCommitValue(42);
                assertEquals(2, w.commit());
            }
            try (WriteTxn w = s.beginWrite()) { // not set: inherited
                w.put("t", "b".getBytes(), "2".getBytes());
                w.commit();
            }
            try (ReadTxn r = s.beginRead()) {
                assertEquals(42, r.commitValue());
                assertEquals(3, r.id());
            }
            // Prepared but not yet synced: readers still see the previous value.
            WriteTxn w = s.beginWrite();
            w.put("t", "c".getBytes(), "3".getBytes());
            w.setCommitValue(Long.MIN_VALUE);
            Commit c = w.prepareCommit();
            assertFalse(c.isDurable());
            try (ReadTxn r = s.beginRead()) {
                assertEquals(42, r.commitValue());
            }
            assertEquals(4, c.sync());
            assertTrue(c.isDurable());
        }
        try (Store s = Store.open(dir, o); ReadTxn r = s.beginRead()) {
            assertEquals(Long.MIN_VALUE, r.commitValue());
            assertEquals(4, r.id());
        }
    }
}

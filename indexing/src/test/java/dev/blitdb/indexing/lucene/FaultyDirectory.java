package dev.blitdb.indexing.lucene;

import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FilterDirectory;
import org.apache.lucene.store.IOContext;
import org.apache.lucene.store.IndexInput;
import org.apache.lucene.store.IndexOutput;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.util.Collection;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Lucene directory that fails on command: the next {@code n} calls of a kind throw, then calls pass again.
 * Optionally held: every {@code sync} waits at a gate until the test opens it, to stop an index administration at a
 * known point without timing anything.
 */
public final class FaultyDirectory extends FilterDirectory {

    /** Armed faults, shared by every directory a factory opens (so they survive a reopen). */
    public static final class Faults {
        public final AtomicInteger failCreateOutput = new AtomicInteger();
        public final AtomicInteger failSync = new AtomicInteger();
        /** Fails only syncs of commits that carry segments (entries), not an empty index's first commit. */
        public final AtomicInteger failSegmentSync = new AtomicInteger();
        public final AtomicInteger denyOpenInput = new AtomicInteger();
        public final AtomicInteger injected = new AtomicInteger();
        /** While set and closed, every {@code sync} first counts itself in {@link #syncsHeld}, then waits on it. */
        public volatile CountDownLatch syncGate;
        /** Syncs that reached a closed {@link #syncGate}. */
        public final AtomicInteger syncsHeld = new AtomicInteger();

        /** A factory of memory-mapped directories wrapped with these faults. */
        public LuceneIndex.DirectoryFactory factory() {
            return folder -> new FaultyDirectory(LuceneIndex.DirectoryFactory.MMAP.open(folder), this);
        }

        boolean take(AtomicInteger armed) {
            if (armed.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
                injected.incrementAndGet();
                return true;
            }
            return false;
        }
    }

    private final Faults faults;

    public FaultyDirectory(Directory in, Faults faults) {
        super(in);
        this.faults = faults;
    }

    @Override
    public IndexOutput createOutput(String name, IOContext context) throws IOException {
        if (faults.take(faults.failCreateOutput)) {
            throw new IOException("injected fault: createOutput(" + name + ")");
        }
        return super.createOutput(name, context);
    }

    @Override
    public void sync(Collection<String> names) throws IOException {
        CountDownLatch gate = faults.syncGate;
        if (gate != null && gate.getCount() > 0) {
            faults.syncsHeld.incrementAndGet();
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted at a held sync", e);
            }
        }
        boolean segments = names.stream().anyMatch(n -> n.endsWith(".si"));
        if (faults.take(faults.failSync) || segments && faults.take(faults.failSegmentSync)) {
            throw new IOException("injected fault: sync(" + names + ")");
        }
        super.sync(names);
    }

    @Override
    public IndexInput openInput(String name, IOContext context) throws IOException {
        if (name.startsWith("segments") && faults.take(faults.denyOpenInput)) {
            throw new AccessDeniedException(name, null, "injected fault: permission denied");
        }
        return super.openInput(name, context);
    }
}

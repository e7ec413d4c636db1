package dev.blitdb.storage.engine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Power-loss simulation of the write-ahead commit (DESIGN.md, "The commit protocol"). A {@link SimulatedDisk} sits
 * under the store's folder — data file and log files; at the start of every sync it builds the image a power cut at
 * that instant could leave (for each file the durable shadow plus an arbitrary subset of later pages, torn ones
 * included; files created or deleted since the last folder sync there or not), and this test opens that image as a
 * store, verifies it, and checks that it holds exactly the last acknowledged commit or the one being synced —
 * never less, never a mix. Commit shapes: small values, large inline values, overflow runs, growth in tiny steps,
 * free-page reuse under overwrites and deletes, and commits prepared while the next transaction already writes
 * (the merger's overlap); checkpoints at random points of all of them (cuts inside a checkpoint: while the next
 * log file starts, while the data file syncs, while the meta page is written), and a clean close at the end of each
 * (cuts while the log files are deleted).
 */
class PowerLossTest {

    static final int MIN_CUTS = 1_000;
    /** Checkpoints only where the test asks for them, on its own thread (the model must know what is syncing). */
    private static final StoreOptions BASE = StoreOptions.defaults().withMinGrowth(16 * Limits.PAGE_SIZE)
            .withCheckpoints(Long.MAX_VALUE, java.time.Duration.ZERO);

    @TempDir
    Path dir;

    /** tree → key → value; values are never mutated, so a copy shares them. */
    private record Model(Map<String, TreeMap<String, byte[]>> trees) {
        static Model empty() {
            return new Model(new HashMap<>());
        }

        Model copy() {
            Map<String, TreeMap<String, byte[]>> m = new HashMap<>();
            trees.forEach((k, v) -> m.put(k, new TreeMap<>(v)));
            return new Model(m);
        }
    }

    /** NO_SYNC: commits append their records without syncing; a cut must leave a prefix of the commits. */
    private enum Shape { SMALL, LARGE_INLINE, OVERFLOW, GROWTH, REUSE, OVERLAP, NO_SYNC }

    private int cuts;
    private int cutsInCheckpoints;
    private int cutsInClose;
    private int checkpoints;
    private String phase = "commit";
    private int atAcked;
    private int atPending;
    private Model acked;
    private Model pending;
    /** NO_SYNC shape: every committed state, and the index of the last one a checkpoint made durable. */
    private final List<Model> history = new ArrayList<>();
    private int checkpointed;
    private int atPrefix;
    private String where;

    @Test
    void everyPowerCutLeavesTheLastAcknowledgedOrTheSyncingCommit() throws Exception {
        long seed = Long.getLong("blitdb.powerloss.seed", 20261202L);
        // Every cut that falls back logs a recovery warning; a thousand of them would drown the build log.
        java.util.logging.Logger storeLog = java.util.logging.Logger.getLogger(Store.class.getName());
        java.util.logging.Level level = storeLog.getLevel();
        storeLog.setLevel(java.util.logging.Level.SEVERE);
        try {
            simulate(seed);
        } finally {
            storeLog.setLevel(level);
            if (cutRoot != null) {
                for (Shape shape : Shape.values()) {
                    deleteFolder(cutRoot.resolveSibling(cutRoot.getFileName() + "-" + shape.name().toLowerCase()));
                }
                deleteFolder(cutRoot);
            }
        }
    }

    private void simulate(long seed) throws Exception {
        SimulatedDisk[] disks = new SimulatedDisk[Shape.values().length];
        for (Shape shape : Shape.values()) {
            Path storeDir = cutDir().resolveSibling(cutDir().getFileName() + "-" + shape.name().toLowerCase());
            SimulatedDisk disk = new SimulatedDisk(storeDir, seed + shape.ordinal());
            disks[shape.ordinal()] = disk;
            disk.onSync = this::check;
            acked = Model.empty();
            pending = null;
            where = shape + " (seed " + seed + ")";
            run(shape, storeDir, disk, new Random(seed * 31 + shape.ordinal()));
        }
        long torn = Arrays.stream(disks).mapToLong(d -> d.tornPages).sum();
        long missing = Arrays.stream(disks).mapToLong(d -> d.missingFiles).sum();
        System.out.println("PowerLossTest: " + cuts + " power cuts (" + cutsInCheckpoints + " inside " + checkpoints
                + " checkpoints, " + cutsInClose + " inside clean closes), " + atAcked + " recovered the acknowledged "
                + "commit, " + atPending + " the commit being synced, " + atPrefix + " (NO_SYNC) a prefix; torn pages " + torn + ", files left out "
                + missing);
        assertTrue(cuts >= MIN_CUTS, "only " + cuts + " power cuts simulated");
        assertTrue(atPending > 0 && atAcked > 0 && torn > 0, "cuts never hit both outcomes / torn pages");
        assertTrue(atPrefix > 20, "NO_SYNC cuts: " + atPrefix);
        assertTrue(cutsInCheckpoints > 100 && cutsInClose > 0 && missing > 0,
                "cuts never hit checkpoints / closes / unsynced folder entries");
    }

    private void run(Shape shape, Path storeDir, SimulatedDisk disk, Random rnd) throws Exception {
        boolean noSync = shape == Shape.NO_SYNC;
        history.clear();
        history.add(acked);
        checkpointed = 0;
        Store store = Store.open(storeDir, (noSync ? BASE.withDurability(Durability.NO_SYNC) : BASE)
                .withDiskSync(disk));
        try {
            int commits = shape == Shape.OVERLAP ? 170 : 145;
            if (shape == Shape.OVERLAP) {
                overlap(store, rnd, commits);
                return;
            }
            ReadTxn pin = null;
            for (int i = 0; i < commits; i++) {
                Model next = acked.copy();
                try (WriteTxn w = store.beginWrite()) {
                    apply(noSync ? Shape.REUSE : shape, w, next, rnd, i);
                    pending = next;
                    w.commit();
                }
                acked = next;
                pending = null;
                history.add(next);
                maybeCheckpoint(store, rnd);
                if (shape == Shape.REUSE) {
                    // A reader now and then pins a snapshot for a few commits: pages wait, then get reused.
                    if (pin != null && rnd.nextInt(4) == 0) {
                        pin.close();
                        pin = null;
                    } else if (pin == null && rnd.nextInt(8) == 0) {
                        pin = store.beginRead();
                    }
                }
            }
            if (pin != null) {
                pin.close();
            }
        } finally {
            phase = "close"; // the final checkpoint and the deletion of the log files
            store.close();
            phase = "commit";
        }
    }

    /** Now and then a checkpoint, with a prepared commit in flight or not: every sync in it is a cut. */
    private void maybeCheckpoint(Store store, Random rnd) throws IOException {
        if (rnd.nextInt(6) == 0) {
            phase = "checkpoint";
            if (store.checkpoint()) {
                checkpoints++;
                checkpointed = history.size() - 1;
            }
            phase = "commit";
        }
    }

    /** Commit N is prepared, transaction N+1 writes its pages (and may grow the file), then N syncs. */
    private void overlap(Store store, Random rnd, int commits) throws IOException {
        Commit prev = null;
        Model prevModel = null;
        for (int i = 0; i < commits; i++) {
            pending = prevModel;
            Model next = (prevModel != null ? prevModel : acked).copy();
            WriteTxn w = store.beginWrite();
            apply(rnd.nextBoolean() ? Shape.OVERFLOW : Shape.REUSE, w, next, rnd, i);
            if (prev != null) {
                prev.sync();
                acked = prevModel;
            }
            pending = next;
            prev = w.prepareCommit();
            prevModel = next;
            maybeCheckpoint(store, rnd); // of the last acknowledged state, while this one waits for its sync
        }
        prev.sync();
        acked = prevModel;
        pending = null;
    }

    private static final int KEYS = 60;

    private void apply(Shape shape, WriteTxn w, Model m, Random rnd, int i) {
        int ops = 1 + rnd.nextInt(shape == Shape.SMALL ? 25 : 6);
        for (int op = 0; op < ops; op++) {
            String tree = rnd.nextInt(5) == 0 ? "u" : "t";
            String key = switch (shape) {
                case GROWTH -> String.format("g%06d-%d", i, op); // always new keys: the file keeps growing
                default -> "k" + rnd.nextInt(KEYS);
            };
            TreeMap<String, byte[]> t = m.trees().computeIfAbsent(tree, x -> new TreeMap<>());
            boolean delete = shape != Shape.GROWTH && rnd.nextInt(shape == Shape.REUSE ? 3 : 6) == 0;
            if (delete) {
                w.delete(tree, key.getBytes());
                t.remove(key);
                continue;
            }
            int len = switch (shape) {
                case SMALL -> rnd.nextInt(100);
                case LARGE_INLINE -> 1000 + rnd.nextInt(950);
                case OVERFLOW -> 2100 + rnd.nextInt(10_000);
                case GROWTH -> rnd.nextInt(4) == 0 ? 2100 + rnd.nextInt(4_000) : rnd.nextInt(200);
                default -> rnd.nextInt(2) == 0 ? rnd.nextInt(300) : 3000 + rnd.nextInt(6000);
            };
            byte[] value = new byte[len];
            rnd.nextBytes(value);
            w.put(tree, key.getBytes(), value);
            t.put(key, value);
        }
        if (rnd.nextInt(10) == 0) {
            w.setCommitValue(i);
        }
    }

    /** Opens one power-cut image and checks it holds {@link #acked} or {@link #pending} exactly. */
    private void check(Map<String, byte[]> image) {
        cuts++;
        if (phase.equals("checkpoint")) {
            cutsInCheckpoints++;
        } else if (phase.equals("close")) {
            cutsInClose++;
        }
        try {
            Path cutDir = cutDir();
            try (var old = Files.list(cutDir)) {
                for (Path p : old.toList()) {
                    Files.delete(p);
                }
            }
            for (Map.Entry<String, byte[]> f : image.entrySet()) {
                Files.write(cutDir.resolve(f.getKey()), f.getValue());
            }
            try (Store s = Store.open(cutDir, BASE.withDiskSync(SimulatedDisk.NONE))) {
                s.verify();
                Model found = read(s);
                if (where.startsWith(Shape.NO_SYNC.name())) {
                    int k = history.size() - 1;
                    while (k >= checkpointed && !same(found, history.get(k))) {
                        k--;
                    }
                    if (k < checkpointed) {
                        fail("power cut " + cuts + " in " + where + " during " + phase + ": the NO_SYNC store holds "
                                + "no committed state since its last checkpoint (" + describe(found) + ")");
                    }
                    atPrefix++;
                } else if (same(found, acked)) {
                    atAcked++;
                } else if (pending != null && same(found, pending)) {
                    atPending++;
                } else {
                    fail("power cut " + cuts + " in " + where + " during " + phase + ": the store holds neither the acknowledged state "
                            + "nor the one being synced (" + describe(found) + " vs acked " + describe(acked)
                            + (pending == null ? "" : ", pending " + describe(pending)) + ")");
                }
                if (cuts % 8 == 0) {
                    try (WriteTxn w = s.beginWrite()) { // and it keeps working
                        w.put("t", "after-cut".getBytes(), new byte[5000]);
                        w.commit();
                    }
                    s.verify();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (StoreCorruptedException e) {
            throw new AssertionError("power cut " + cuts + " in " + where + " during " + phase
                    + ": store fails to open: "
                    + e.getMessage(), e);
        }
    }

    private Path cutRoot;

    private static void deleteFolder(Path d) throws IOException {
        if (!Files.isDirectory(d)) {
            return;
        }
        try (var files = Files.list(d)) {
            for (Path p : files.toList()) {
                Files.delete(p);
            }
        }
        Files.delete(d);
    }

    /**
     * Where the simulated stores live and power-cut images are opened: tmpfs when the machine has one (nothing
     * here needs a real disk — the simulated one decides what is durable — and rewriting a file of a disk file
     * system a thousand times makes ext4 start writeback on each close: seconds on a busy disk), else the test's
     * folder.
     */
    private Path cutDir() throws IOException {
        if (cutRoot == null) {
            Path shm = Path.of("/dev/shm");
            cutRoot = Files.isDirectory(shm) && Files.isWritable(shm)
                    ? Files.createTempDirectory(shm, "blitdb-powerloss-") : dir.resolve("cut");
            cutRoot.toFile().deleteOnExit();
        }
        Files.createDirectories(cutRoot);
        return cutRoot;
    }

    private static Model read(Store s) {
        Model m = Model.empty();
        try (ReadTxn r = s.beginRead()) {
            for (String tree : r.treeNames()) {
                TreeMap<String, byte[]> t = new TreeMap<>();
                Cursor c = r.cursor(tree);
                for (boolean ok = c.first(); ok; ok = c.next()) {
                    t.put(new String(c.keyBytes()), c.value().toArray(ValueLayout.JAVA_BYTE));
                }
                m.trees().put(tree, t);
            }
        }
        return m;
    }

    private static boolean same(Model a, Model b) {
        List<String> names = new ArrayList<>(a.trees().keySet());
        names.addAll(b.trees().keySet());
        for (String n : names) {
            TreeMap<String, byte[]> x = a.trees().getOrDefault(n, new TreeMap<>());
            TreeMap<String, byte[]> y = b.trees().getOrDefault(n, new TreeMap<>());
            if (!x.keySet().equals(y.keySet())) {
                return false;
            }
            for (Map.Entry<String, byte[]> e : x.entrySet()) {
                if (!Arrays.equals(e.getValue(), y.get(e.getKey()))) {
                    return false;
                }
            }
        }
        return true;
    }

    private static String describe(Model m) {
        StringBuilder b = new StringBuilder();
        m.trees().forEach((k, v) -> b.append(k).append('=').append(v.size()).append(' '));
        return b.toString().trim();
    }
}

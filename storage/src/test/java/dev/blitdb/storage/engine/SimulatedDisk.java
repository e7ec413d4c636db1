package dev.blitdb.storage.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A disk that loses power, under one store folder: the data file and the write-ahead log files. Every sync of the
 * store comes through here ({@link DiskSync}); at sync time the synced bytes are copied into a shadow image of
 * that file — what the disk is known to hold: the synced range of the data file, the whole log file on its
 * {@code fdatasync}, the whole data file on {@code fsync}. A folder sync makes the folder's entries durable (files
 * created since may be missing after a cut, files deleted since may still be there). A power cut builds the image a
 * real disk could show, for every file: the shadow plus an arbitrary subset of the pages written since (each page
 * changed since its last sync is old, new, or torn: each 512-byte sector old or new), and a size that is the
 * durable one or the current one.
 */
final class SimulatedDisk implements DiskSync {

    /** Syncs nothing: for stores opened from power-cut images, which nobody cuts again. */
    static final DiskSync NONE = new DiskSync() {
        @Override
        public void syncRange(MemorySegment map, long offset, long length) {
        }

        @Override
        public void syncFile(FileChannel channel) {
        }

        @Override
        public void syncLog(Path file, FileChannel channel) {
        }

        @Override
        public void syncDirectory(Path dir) {
        }
    };

    static final int SECTOR = 512;

    private final Path dir;
    private final Random rnd;
    private final Map<String, byte[]> shadow = new HashMap<>();
    /** Folder entries known durable; the data file exists before the test starts. */
    private final Set<String> entries = new HashSet<>(Set.of(Store.FILE_NAME));
    /** Called with a power-cut image (file name → bytes) at the start of each sync, before it makes anything durable. */
    Consumer<Map<String, byte[]>> onSync = img -> { };
    long tornPages;
    long newPages;
    long oldPages;
    long missingFiles;

    SimulatedDisk(Path dir, long seed) {
        this.dir = dir;
        this.rnd = new Random(seed);
    }

    @Override
    public void syncRange(MemorySegment map, long offset, long length) {
        onSync.accept(powerCut());
        // No real msync: the shadow is this disk's durability (a real sync would only slow the test down).
        byte[] s = shadow.getOrDefault(Store.FILE_NAME, new byte[0]);
        if (s.length < offset + length) {
            s = Arrays.copyOf(s, (int) (offset + length));
        }
        MemorySegment.copy(map, ValueLayout.JAVA_BYTE, offset, s, (int) offset, (int) length);
        shadow.put(Store.FILE_NAME, s);
    }

    @Override
    public void syncFile(FileChannel channel) {
        onSync.accept(powerCut());
        shadow.put(Store.FILE_NAME, read(Store.FILE_NAME));
    }

    @Override
    public void syncLog(Path file, FileChannel channel) {
        onSync.accept(powerCut());
        shadow.put(file.getFileName().toString(), read(file.getFileName().toString()));
    }

    @Override
    public void syncDirectory(Path folder) {
        onSync.accept(powerCut());
        entries.clear();
        entries.addAll(names());
        shadow.keySet().retainAll(entries);
    }

    private Set<String> names() {
        try (Stream<Path> s = Files.list(dir)) {
            Set<String> out = new TreeSet<>();
            s.forEach(p -> out.add(p.getFileName().toString()));
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A file as the page cache holds it now (what every write so far produced). */
    private byte[] read(String name) {
        try {
            return Files.readAllBytes(dir.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The files a power cut at this instant could leave on the disk. */
    Map<String, byte[]> powerCut() {
        // Each cut has its own odds: a third cut the sync near its end (almost every page new), the others
        // anywhere; half of them tear pages.
        double pNew = rnd.nextInt(3) == 0 ? 1.0 - rnd.nextDouble() * 0.1 : rnd.nextDouble();
        double pTorn = rnd.nextBoolean() ? 0 : rnd.nextDouble() * 0.4;
        Map<String, byte[]> image = new HashMap<>();
        Set<String> all = new TreeSet<>(names());
        all.addAll(entries);
        for (String name : all) {
            boolean exists = Files.exists(dir.resolve(name));
            boolean durable = entries.contains(name);
            if (exists != durable && rnd.nextBoolean()) {
                missingFiles += exists ? 1 : 0;
                if (!exists) {
                    image.put(name, shadow.getOrDefault(name, new byte[0])); // deleted, but the deletion was not synced
                }
                continue; // created, but its folder entry was not synced: gone
            }
            if (!exists) {
                continue;
            }
            image.put(name, cut(shadow.getOrDefault(name, new byte[0]), read(name), pNew, pTorn));
        }
        return image;
    }

    private byte[] cut(byte[] durable, byte[] now, double pNew, double pTorn) {
        int size = now.length > durable.length && rnd.nextBoolean() ? durable.length : now.length;
        byte[] img = new byte[size];
        System.arraycopy(durable, 0, img, 0, Math.min(size, durable.length));
        int page = Limits.PAGE_SIZE;
        for (int at = 0; at < size; at += page) {
            int len = Math.min(page, size - at);
            if (Arrays.equals(img, at, at + len, now, at, at + len)) {
                continue;
            }
            int choice = rnd.nextDouble() < pTorn ? 2 : rnd.nextDouble() < pNew ? 1 : 0;
            switch (choice) {
                case 0 -> oldPages++;
                case 1 -> {
                    System.arraycopy(now, at, img, at, len);
                    newPages++;
                }
                default -> {
                    for (int s = 0; s < len; s += SECTOR) {
                        if (rnd.nextBoolean()) {
                            System.arraycopy(now, at + s, img, at + s, Math.min(SECTOR, len - s));
                        }
                    }
                    tornPages++;
                }
            }
        }
        return img;
    }
}

package dev.blitdb.storage.engine;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Random;
import java.util.function.Consumer;

/**
 * A disk that loses power. Every sync of the store comes through here ({@link DiskSync}); at sync time the synced
 * bytes are copied into a shadow image — what the disk is known to hold. A power cut builds the image a real disk
 * could show: the shadow plus an arbitrary subset of the pages written since (each page changed since its last
 * sync is old, new, or torn: each 512-byte sector old or new), and a file size that is the durable one or the
 * current one.
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
    };

    static final int SECTOR = 512;

    private final Path file;
    private final Random rnd;
    private byte[] shadow = new byte[0];
    /** Called with a power-cut image at the start of each sync (before it makes anything durable). */
    Consumer<byte[]> onSync = img -> { };
    long tornPages;
    long newPages;
    long oldPages;

    SimulatedDisk(Path file, long seed) {
        this.file = file;
        this.rnd = new Random(seed);
    }

    @Override
    public void syncRange(MemorySegment map, long offset, long length) {
        onSync.accept(powerCut());
        // No real msync: the shadow is this disk's durability (a real sync would only slow the test down).
        ensureShadow(offset + length);
        MemorySegment.copy(map, ValueLayout.JAVA_BYTE, offset, shadow, (int) offset, (int) length);
    }

    @Override
    public void syncFile(FileChannel channel) throws IOException {
        onSync.accept(powerCut());
        shadow = current();
    }

    private void ensureShadow(long size) {
        if (shadow.length < size) {
            shadow = Arrays.copyOf(shadow, (int) size);
        }
    }

    /** The file as the page cache holds it now (what every write so far produced). */
    private byte[] current() {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate((int) ch.size());
            while (b.hasRemaining() && ch.read(b, b.position()) >= 0) {
                // read fully
            }
            return b.array();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The image a power cut at this instant could leave on the disk. */
    byte[] powerCut() {
        byte[] now = current();
        int size = now.length > shadow.length && rnd.nextBoolean() ? shadow.length : now.length;
        byte[] img = new byte[size];
        System.arraycopy(shadow, 0, img, 0, Math.min(size, shadow.length));
        int page = Limits.PAGE_SIZE;
        // Each cut has its own odds: a third cut the sync near its end (almost every page new), the others
        // anywhere; half of them tear pages.
        double pNew = rnd.nextInt(3) == 0 ? 1.0 - rnd.nextDouble() * 0.1 : rnd.nextDouble();
        double pTorn = rnd.nextBoolean() ? 0 : rnd.nextDouble() * 0.4;
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

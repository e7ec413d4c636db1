package dev.blitdb.server.http.body;

import java.io.Closeable;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.TreeMap;

import dev.blitdb.blittable.SpillSpace;
import dev.blitdb.server.http.errors.ApiError;
import dev.blitdb.server.http.errors.ApiException;

/**
 * One scratch file per server for large request bodies (the Lokad idea): a body is written into a region of the
 * file with ordinary {@code write} calls — so a full disk is an {@link IOException}, never a SIGBUS — and then
 * mapped read-only for the converter, which reads it in place. Its pages live in the OS page cache, which can
 * write them out under memory pressure; the Java heap never holds the body. Regions are handed out first-fit in
 * 64 KiB units and given back when the request ends; when no region is in use the file is truncated to nothing.
 * The file is named after the server's process, recreated empty at start, deleted at close; a crashed process's
 * file is deleted by the next start (it holds nothing worth keeping).
 */
public final class ScratchSpace implements Closeable {

    static final String PREFIX = "scratch-";
    static final String SUFFIX = ".tmp";
    private static final long UNIT = 64 << 10;
    /** Several servers in one process (tests) each get their own file. */
    private static final java.util.concurrent.atomic.AtomicInteger INSTANCES = new java.util.concurrent.atomic.AtomicInteger();

    private final Path path;
    private final FileChannel channel;
    /** Free regions below {@link #end}: offset → length, coalesced. */
    private final TreeMap<Long, Long> free = new TreeMap<>();
    private long end;
    private int inUse;

    private ScratchSpace(Path path, FileChannel channel) {
        this.path = path;
        this.channel = channel;
    }

    /**
     * Creates {@code dir/scratch-<pid>-<n>.tmp} (one per server, so two servers never share one) and deletes
     * the scratch files of processes that are gone (a crash leaves its file behind).
     */
    public static ScratchSpace open(Path dir) throws IOException {
        Files.createDirectories(dir);
        try (var leftovers = Files.newDirectoryStream(dir, PREFIX + "*" + SUFFIX)) {
            for (Path old : leftovers) {
                String name = old.getFileName().toString();
                String rest = name.substring(PREFIX.length(), name.length() - SUFFIX.length());
                String pid = rest.contains("-") ? rest.substring(0, rest.indexOf('-')) : rest;
                try {
                    if (ProcessHandle.of(Long.parseLong(pid)).isEmpty()) {
                        Files.deleteIfExists(old);
                    }
                } catch (NumberFormatException e) {
                    // not one of ours
                }
            }
        }
        Path path = dir.resolve(PREFIX + ProcessHandle.current().pid() + "-" + INSTANCES.incrementAndGet() + SUFFIX);
        FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        return new ScratchSpace(path, channel);
    }

    public Path path() {
        return path;
    }

    /** A region of at least {@code size} bytes, written from its start and then mapped. */
    public Region allocate(long size) {
        long length = Math.max(UNIT, (size + UNIT - 1) / UNIT * UNIT);
        long offset;
        synchronized (this) {
            offset = -1;
            for (Map.Entry<Long, Long> e : free.entrySet()) {
                if (e.getValue() >= length) {
                    offset = e.getKey();
                    free.remove(offset);
                    if (e.getValue() > length) {
                        free.put(offset + length, e.getValue() - length);
                    }
                    break;
                }
            }
            if (offset < 0) {
                offset = end;
                end += length;
            }
            inUse++;
        }
        return new Region(offset, length);
    }

    private synchronized void release(long offset, long length) {
        Long before = free.floorKey(offset);
        if (before != null && before + free.get(before) == offset) {
            offset = before;
            length += free.remove(before);
        }
        Long after = free.get(offset + length);
        if (after != null) {
            free.remove(offset + length);
            length += after;
        }
        if (offset + length == end) {
            end = offset;
        } else {
            free.put(offset, length);
        }
        if (--inUse == 0) {
            free.clear();
            end = 0;
            try {
                channel.truncate(0); // give the disk space back between bursts
            } catch (IOException e) {
                // Best effort: the space is reused by the next large body anyway.
            }
        }
    }

    /**
     * Room for one large document being built (FORMAT.md §14): regions mapped read-write, replaced by a larger one
     * (contents copied, mapping to mapping) when the document outgrows it. Each region's file range is written
     * with zeros before it is mapped, so a full disk is a 507 here, never a SIGBUS later. Close it after the
     * document was stored.
     */
    public SpillSpace spillSpace() {
        return new Spill();
    }

    private final class Spill implements SpillSpace {
        private Region region;
        private MemorySegment mapped;

        @Override
        public MemorySegment grow(long keep, long capacity) {
            if (mapped != null && mapped.byteSize() >= capacity) {
                return mapped;
            }
            Region next = allocate(capacity);
            MemorySegment grown;
            try {
                grown = next.mapWritable();
            } catch (IOException e) {
                next.close();
                if (String.valueOf(e.getMessage()).contains("No space left")) {
                    throw new ApiException(ApiError.INSUFFICIENT_STORAGE, "no disk space left to build a "
                            + capacity + "-byte document in " + path + ": " + e.getMessage(), e);
                }
                throw new java.io.UncheckedIOException("scratch space " + path + ": " + e.getMessage(), e);
            }
            if (mapped != null && keep > 0) {
                MemorySegment.copy(mapped, 0, grown, 0, keep);
            }
            close();
            region = next;
            mapped = grown;
            return grown;
        }

        @Override
        public void close() {
            if (region != null) {
                region.close();
                region = null;
                mapped = null;
            }
        }
    }

    private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(64 << 10).asReadOnlyBuffer();

    /** Bytes of the file currently handed out or between handed-out regions. */
    public synchronized long highWaterBytes() {
        return end;
    }

    @Override
    public void close() throws IOException {
        channel.close();
        Files.deleteIfExists(path);
    }

    /** One request's part of the scratch file; not thread-safe (one request uses it). */
    public final class Region implements AutoCloseable {
        private final long offset;
        private final long capacity;
        private long written;
        private Arena arena;
        private boolean closed;

        private Region(long offset, long capacity) {
            this.offset = offset;
            this.capacity = capacity;
        }

        public long capacity() {
            return capacity;
        }

        /** The scratch file this region belongs to. */
        ScratchSpace scratch() {
            return ScratchSpace.this;
        }

        public long written() {
            return written;
        }

        /** Appends {@code bytes[0, length)}; an {@link IOException} when the disk is full. */
        public void write(byte[] bytes, int length) throws IOException {
            if (written + length > capacity) {
                throw new IllegalStateException("scratch region of " + capacity + " bytes overflows");
            }
            ByteBuffer buffer = ByteBuffer.wrap(bytes, 0, length);
            while (buffer.hasRemaining()) {
                written += channel.write(buffer, offset + written);
            }
        }

        /**
         * The whole region mapped read-write after its file range was written with zeros (so the blocks exist);
         * valid until {@link #close()}.
         */
        MemorySegment mapWritable() throws IOException {
            ByteBuffer zeros = ZEROS.duplicate();
            for (long at = 0; at < capacity; at += zeros.capacity()) {
                zeros.clear().limit((int) Math.min(zeros.capacity(), capacity - at));
                while (zeros.hasRemaining()) {
                    channel.write(zeros, offset + at + zeros.position());
                }
            }
            if (arena == null) {
                arena = Arena.ofShared();
            }
            return channel.map(FileChannel.MapMode.READ_WRITE, offset, capacity, arena);
        }

        /** The bytes written so far, mapped read-only; valid until {@link #close()}. */
        public MemorySegment map() throws IOException {
            if (arena == null) {
                arena = Arena.ofShared();
            }
            if (written == 0) {
                return MemorySegment.NULL.reinterpret(0);
            }
            return channel.map(FileChannel.MapMode.READ_ONLY, offset, written, arena);
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            if (arena != null) {
                arena.close();
            }
            release(offset, capacity);
        }
    }
}

package dev.blitdb.cluster.log;

import dev.blitdb.storage.documents.DocumentCommand;
import dev.blitdb.storage.documents.ReplicatedOperation;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Encodes a {@link LogEntry} into the bytes of a Raft log entry and back. Layout (little-endian; a string is an
 * {@code int} byte length, -1 for null, then UTF-8; bytes are an {@code int} length then the bytes):
 *
 * <pre>
 *   u8 'B'  u8 version (1)  i64 timestamp (epoch ms)  i32 operation count
 *   per operation: u8 kind, then
 *     1 PUT        string id, bytes blittable, string expected change vector
 *     2 DELETE     string id, string expected change vector
 *     3 BATCH      i32 command count, each: u8 1 (PUT: string, bytes, string) or 2 (DELETE: string, string)
 *     4 RESERVE    string collection, i64 count
 *     5 PURGE      i64 up-to etag, i32 max (tombstones)
 * </pre>
 *
 * Blittable documents travel as the bytes the leader's converter made, so followers never parse JSON. Encoding
 * copies a document once, from wherever the leader built it into the entry; decoding does not copy it at all: a
 * decoded PUT's blittable is a view of the entry's bytes (valid while those are, which covers the apply).
 */
public final class LogEntryCodec {

    static final byte MAGIC = 'B';
    static final byte VERSION = 1;
    private static final byte PUT = 1;
    private static final byte DELETE = 2;
    private static final byte BATCH = 3;
    private static final byte RESERVE = 4;
    private static final byte PURGE = 5;

    private LogEntryCodec() {
    }

    public static byte[] encode(LogEntry entry) {
        int size = 14;
        for (ReplicatedOperation op : entry.operations()) {
            size += 1 + switch (op) {
                case ReplicatedOperation.Put p -> len(p.id()) + 4 + Math.toIntExact(p.blittable().byteSize())
                        + len(p.expectedChangeVector());
                case ReplicatedOperation.Delete d -> len(d.id()) + len(d.expectedChangeVector());
                case ReplicatedOperation.Batch b -> {
                    int s = 4;
                    for (DocumentCommand c : b.commands()) {
                        s += 1 + switch (c) {
                            case DocumentCommand.Put p -> len(p.id()) + 4 + p.blittable().length
                                    + len(p.expectedChangeVector());
                            case DocumentCommand.Delete d -> len(d.id()) + len(d.expectedChangeVector());
                        };
                    }
                    yield s;
                }
                case ReplicatedOperation.ReserveIds r -> len(r.collection()) + 8;
                case ReplicatedOperation.PurgeTombstones t -> 12;
            };
        }
        ByteBuffer out = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        out.put(MAGIC).put(VERSION).putLong(entry.timestamp()).putInt(entry.operations().size());
        for (ReplicatedOperation op : entry.operations()) {
            switch (op) {
                case ReplicatedOperation.Put p -> {
                    out.put(PUT);
                    putString(out, p.id());
                    int n = Math.toIntExact(p.blittable().byteSize());
                    out.putInt(n);
                    MemorySegment.copy(p.blittable(), 0, MemorySegment.ofArray(out.array()), out.position(), n);
                    out.position(out.position() + n);
                    putString(out, p.expectedChangeVector());
                }
                case ReplicatedOperation.Delete d -> {
                    out.put(DELETE);
                    putString(out, d.id());
                    putString(out, d.expectedChangeVector());
                }
                case ReplicatedOperation.Batch b -> {
                    out.put(BATCH).putInt(b.commands().size());
                    for (DocumentCommand c : b.commands()) {
                        switch (c) {
                            case DocumentCommand.Put p -> {
                                out.put(PUT);
                                putString(out, p.id());
                                out.putInt(p.blittable().length).put(p.blittable());
                                putString(out, p.expectedChangeVector());
                            }
                            case DocumentCommand.Delete d -> {
                                out.put(DELETE);
                                putString(out, d.id());
                                putString(out, d.expectedChangeVector());
                            }
                        }
                    }
                }
                case ReplicatedOperation.ReserveIds r -> {
                    out.put(RESERVE);
                    putString(out, r.collection());
                    out.putLong(r.count());
                }
                case ReplicatedOperation.PurgeTombstones t -> out.put(PURGE).putLong(t.upToEtag()).putInt(t.max());
            }
        }
        return out.array();
    }

    /** Decodes an entry; a malformed one (never written by this codec) is an {@link IllegalArgumentException}. */
    public static LogEntry decode(ByteBuffer data) {
        ByteBuffer in = data.slice().order(ByteOrder.LITTLE_ENDIAN);
        MemorySegment whole = MemorySegment.ofBuffer(in);
        try {
            byte magic = in.get();
            byte version = in.get();
            if (magic != MAGIC || version != VERSION) {
                throw new IllegalArgumentException("not a BlitDB log entry (magic " + magic + ", version " + version + ")");
            }
            long timestamp = in.getLong();
            int count = in.getInt();
            List<ReplicatedOperation> ops = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                byte kind = in.get();
                ops.add(switch (kind) {
                    case PUT -> new ReplicatedOperation.Put(getString(in), getView(in, whole), getString(in));
                    case DELETE -> new ReplicatedOperation.Delete(getString(in), getString(in));
                    case BATCH -> {
                        int n = in.getInt();
                        List<DocumentCommand> commands = new ArrayList<>(n);
                        for (int c = 0; c < n; c++) {
                            byte ck = in.get();
                            commands.add(switch (ck) {
                                case PUT -> new DocumentCommand.Put(getString(in), getBytes(in), getString(in));
                                case DELETE -> new DocumentCommand.Delete(getString(in), getString(in));
                                default -> throw new IllegalArgumentException("unknown batch command kind " + ck
                                        + " at byte " + (in.position() - 1));
                            });
                        }
                        yield new ReplicatedOperation.Batch(commands);
                    }
                    case RESERVE -> new ReplicatedOperation.ReserveIds(getString(in), in.getLong());
                    case PURGE -> new ReplicatedOperation.PurgeTombstones(in.getLong(), in.getInt());
                    default -> throw new IllegalArgumentException("unknown operation kind " + kind + " at byte "
                            + (in.position() - 1));
                });
            }
            if (in.hasRemaining()) {
                throw new IllegalArgumentException(in.remaining() + " bytes after the last operation");
            }
            return new LogEntry(timestamp, ops);
        } catch (java.nio.BufferUnderflowException e) {
            throw new IllegalArgumentException("log entry truncated at byte " + in.position() + " of " + in.limit());
        }
    }

    private static int len(String s) {
        return 4 + (s == null ? 0 : s.getBytes(StandardCharsets.UTF_8).length);
    }

    private static void putString(ByteBuffer out, String s) {
        if (s == null) {
            out.putInt(-1);
            return;
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.putInt(b.length).put(b);
    }

    private static String getString(ByteBuffer in) {
        int n = in.getInt();
        if (n < 0) {
            return null;
        }
        byte[] b = new byte[n];
        in.get(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    private static byte[] getBytes(ByteBuffer in) {
        int n = length(in);
        byte[] b = new byte[n];
        in.get(b);
        return b;
    }

    /** The next length-prefixed bytes as a view of the entry, not a copy. */
    private static MemorySegment getView(ByteBuffer in, MemorySegment whole) {
        int n = length(in);
        MemorySegment view = whole.asSlice(in.position(), n);
        in.position(in.position() + n);
        return view;
    }

    private static int length(ByteBuffer in) {
        int n = in.getInt();
        if (n < 0 || n > in.remaining()) {
            throw new IllegalArgumentException("byte length " + n + " at byte " + (in.position() - 4)
                    + " exceeds the entry");
        }
        return n;
    }
}

package dev.blitdb.storage.backup;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * The frames of an incremental backup file ({@code storage/BACKUP.md}, "Incremental backup file"): an 8-byte
 * magic and a version, then frames of {@code kind, rawBytes, storedBytes, crc32c, DEFLATE(raw)} — a header frame
 * (JSON), record frames of up to {@value #FRAME_RAW_BYTES} raw bytes (a single larger record gets a frame of its
 * own), and a trailer frame (JSON) last. Every frame is checked before any of it is used, so the file can be
 * written to and read from a stream.
 */
final class IncrementalFile {

    static final byte[] MAGIC = "BLITINCR".getBytes(StandardCharsets.US_ASCII);
    static final int VERSION = 1;
    static final int FRAME_RAW_BYTES = 1 << 20;
    static final int FRAME_HEADER = 13;
    static final byte HEADER = 'H';
    static final byte RECORDS = 'R';
    static final byte TRAILER = 'T';
    /** Record types inside a records frame. */
    static final byte DOCUMENT = 'D';
    static final byte TOMBSTONE = 'X';
    static final byte STATE_TREE = 'S';
    static final byte TREE_ENTRY = 'E';

    private IncrementalFile() {
    }

    /** Writes frames to a channel; the caller fills {@link #records()} and calls {@link #flushRecords()}. */
    static final class Writer {
        private final WritableByteChannel out;
        private final Deflater deflater = new Deflater(Deflater.BEST_SPEED, true);
        private ByteBuffer raw = ByteBuffer.allocate(FRAME_RAW_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        private byte[] stored = new byte[FRAME_RAW_BYTES + (FRAME_RAW_BYTES >> 4) + 64];
        private int frames;

        Writer(WritableByteChannel out) throws IOException {
            this.out = out;
            ByteBuffer start = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).put(MAGIC).putInt(VERSION);
            writeFully(start.flip());
        }

        /** Room for {@code bytes} more record bytes: flushes the current frame first if they would not fit. */
        ByteBuffer records(int bytes) throws IOException {
            if (raw.remaining() < bytes) {
                flushRecords();
                if (raw.capacity() < bytes) {
                    raw = ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
                }
            }
            return raw;
        }

        void flushRecords() throws IOException {
            if (raw.position() > 0) {
                frame(RECORDS, raw.array(), raw.position());
                raw.clear();
                if (raw.capacity() > FRAME_RAW_BYTES) {
                    raw = ByteBuffer.allocate(FRAME_RAW_BYTES).order(ByteOrder.LITTLE_ENDIAN);
                }
            }
        }

        void json(byte kind, byte[] json) throws IOException {
            flushRecords();
            frame(kind, json, json.length);
        }

        private void frame(byte kind, byte[] bytes, int length) throws IOException {
            int bound = length + (length >> 4) + 64;
            if (stored.length < bound) {
                stored = new byte[bound];
            }
            deflater.reset();
            deflater.setInput(bytes, 0, length);
            deflater.finish();
            int n = 0;
            while (!deflater.finished()) {
                n += deflater.deflate(stored, n, stored.length - n);
                if (n == stored.length && !deflater.finished()) {
                    stored = java.util.Arrays.copyOf(stored, stored.length * 2);
                }
            }
            ByteBuffer head = ByteBuffer.allocate(FRAME_HEADER).order(ByteOrder.LITTLE_ENDIAN);
            head.put(kind).putInt(length).putInt(n);
            head.putInt((int) crc(head.array(), 9, stored, n));
            writeFully(head.flip());
            writeFully(ByteBuffer.wrap(stored, 0, n));
            frames++;
        }

        int frames() {
            return frames;
        }

        private void writeFully(ByteBuffer b) throws IOException {
            while (b.hasRemaining()) {
                out.write(b);
            }
        }

        void close() {
            deflater.end();
        }
    }

    /** The CRC32C of a frame: its kind and two lengths, then its stored bytes. */
    static long crc(byte[] head, int headLength, byte[] stored, int storedLength) {
        CRC32C c = new CRC32C();
        c.update(head, 0, headLength);
        c.update(stored, 0, storedLength);
        return c.getValue() & 0xffffffffL;
    }

    /** One checked frame: its kind and raw (inflated) bytes, little-endian. */
    record Frame(byte kind, ByteBuffer raw, long offset) {
    }

    /** Reads and checks frames one at a time; {@code name} is the file named in every refusal. */
    static final class Reader implements AutoCloseable {
        private final InputStream in;
        private final String name;
        private final Inflater inflater = new Inflater(true);
        private long offset;
        private byte[] stored = new byte[0];
        private byte[] raw = new byte[0];

        Reader(InputStream in, String name) throws IOException {
            this.in = in;
            this.name = name;
            byte[] start = new byte[12];
            if (!readFully(start, 12)) {
                throw new BackupInvalidException(name, "format", "shorter than the 12-byte file header");
            }
            if (!java.util.Arrays.equals(start, 0, 8, MAGIC, 0, 8)) {
                throw new BackupInvalidException(name, "format", "it does not start with BLITINCR: not an "
                        + "incremental backup file");
            }
            int version = ByteBuffer.wrap(start, 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
            if (version != VERSION) {
                throw new BackupInvalidException(name, "format", "incremental format version " + version
                        + "; this build reads " + VERSION);
            }
        }

        /** The next frame, checked, or null at the end of the file. */
        Frame next() throws IOException {
            long at = offset;
            byte[] head = new byte[FRAME_HEADER];
            int first = in.read();
            if (first < 0) {
                return null;
            }
            head[0] = (byte) first;
            offset++;
            if (!readFully(head, 1, FRAME_HEADER - 1)) {
                throw new BackupInvalidException(name, "checksum", "the frame at byte " + at + " is cut short "
                        + "(truncated file)");
            }
            ByteBuffer h = ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN);
            byte kind = h.get();
            int rawLength = h.getInt();
            int storedLength = h.getInt();
            long expected = h.getInt() & 0xffffffffL;
            if (rawLength < 0 || storedLength < 0 || storedLength > (1 << 30)) {
                throw new BackupInvalidException(name, "checksum", "the frame at byte " + at + " has impossible "
                        + "lengths (damaged file)");
            }
            if (stored.length < storedLength) {
                stored = new byte[storedLength];
            }
            if (!readFully(stored, 0, storedLength)) {
                throw new BackupInvalidException(name, "checksum", "the frame at byte " + at + " is cut short "
                        + "(truncated file)");
            }
            long actual = crc(head, 9, stored, storedLength);
            if (actual != expected) {
                throw new BackupInvalidException(name, "checksum", "the frame at byte " + at + " has CRC32C "
                        + BackupManifest.hex(actual) + ", its header says " + BackupManifest.hex(expected)
                        + ": the file is damaged");
            }
            if (raw.length < rawLength) {
                raw = new byte[rawLength];
            }
            inflater.reset();
            inflater.setInput(stored, 0, storedLength);
            try {
                int n = 0;
                while (n < rawLength && !inflater.finished()) {
                    int k = inflater.inflate(raw, n, rawLength - n);
                    if (k == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                        break;
                    }
                    n += k;
                }
                if (n != rawLength) {
                    throw new BackupInvalidException(name, "format", "the frame at byte " + at + " inflates to "
                            + n + " bytes, its header says " + rawLength);
                }
            } catch (DataFormatException e) {
                throw new BackupInvalidException(name, "format", "the frame at byte " + at + " does not inflate: "
                        + e.getMessage());
            }
            return new Frame(kind, ByteBuffer.wrap(raw, 0, rawLength).order(ByteOrder.LITTLE_ENDIAN), at);
        }

        private boolean readFully(byte[] b, int length) throws IOException {
            return readFully(b, 0, length);
        }

        private boolean readFully(byte[] b, int from, int length) throws IOException {
            int n = 0;
            while (n < length) {
                int k = in.read(b, from + n, length - n);
                if (k < 0) {
                    return false;
                }
                n += k;
            }
            offset += length;
            return true;
        }

        @Override
        public void close() throws IOException {
            inflater.end();
            in.close();
        }
    }
}

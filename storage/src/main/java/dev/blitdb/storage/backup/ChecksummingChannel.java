package dev.blitdb.storage.backup;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Passes bytes through to a channel while computing a CRC32C per {@value BackupManifest#CHUNK_BYTES}-byte chunk
 * (the last chunk may be shorter), for the manifest. Not thread-safe.
 */
final class ChecksummingChannel implements WritableByteChannel {

    private final WritableByteChannel out;
    private final CRC32C crc = new CRC32C();
    private final List<String> chunks = new ArrayList<>();
    private long inChunk;
    private long bytes;

    ChecksummingChannel(WritableByteChannel out) {
        this.out = out;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        int written = 0;
        while (src.hasRemaining()) {
            int n = (int) Math.min(src.remaining(), BackupManifest.CHUNK_BYTES - inChunk);
            ByteBuffer part = src.slice(src.position(), n);
            ByteBuffer forCrc = part.duplicate();
            while (part.hasRemaining()) {
                out.write(part);
            }
            crc.update(forCrc);
            src.position(src.position() + n);
            written += n;
            inChunk += n;
            bytes += n;
            if (inChunk == BackupManifest.CHUNK_BYTES) {
                endChunk();
            }
        }
        return written;
    }

    private void endChunk() {
        chunks.add(BackupManifest.hex(crc.getValue()));
        crc.reset();
        inChunk = 0;
    }

    /** The chunk checksums of everything written (closes the last, partial chunk). */
    List<String> finish() {
        if (inChunk > 0) {
            endChunk();
        }
        return List.copyOf(chunks);
    }

    long bytes() {
        return bytes;
    }

    @Override
    public boolean isOpen() {
        return out.isOpen();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}

package dev.blitdb.blittable;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Where {@link BlitJsonWriter} sends JSON bytes, chunk by chunk. The writer fills its own buffer and hands it over
 * when full and at the end; a sink must consume or copy the bytes before returning (the array is reused).
 * Implementations: {@link #of(OutputStream)}, {@link ByteBufferSink} (response buffers that are refilled).
 */
@FunctionalInterface
public interface JsonSink {
    void write(byte[] bytes, int offset, int length) throws IOException;

    /** A sink writing to {@code out} (not flushed or closed by the writer). */
    static JsonSink of(OutputStream out) {
        return out::write;
    }
}

package dev.blitdb.server.http.documents;

import dev.blitdb.blittable.ByteBufferSink;
import dev.blitdb.server.databases.DatabaseLease;
import dev.blitdb.server.databases.DatabaseRegistry;
import dev.blitdb.storage.documents.DocumentReader;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * The exchange-free part of the fast GET ({@link DocumentGetFastPath}), one instance per IO thread: look the id up
 * in a read transaction, check the record's pages are resident, render the JSON into the caller's (pooled) buffer,
 * and leave the {@code ETag} and {@code Content-Length} header values in {@link #etag()} and
 * {@link #contentLength()}.
 *
 * <p>This code allocates nothing of its own per call (what is left, 40 B, is the record's {@code MemorySegment}
 * slice that the store's lookup returns): the read transaction is this thread's reusable reader, reopened per call
 * ({@code DocumentStore.beginRead(DocumentReader)}: a fresh snapshot pinned, released at the end), an ASCII id's
 * lookup key is made
 * in a per-thread scratch, the JSON sink is reused ({@link ByteBufferSink#reset}), the quoted ETag is
 * built once per document version and kept while the same version is asked for again (the common case of a hot
 * document; another document costs that one String, which Undertow's header map needs), and Content-Length
 * values come from a table of shared Strings. Public so that bench's {@code GetFastPathBenchmark} measures exactly
 * this code with {@code -prof gc}.
 */
public final class ResidentDocumentGet {

    private static final ThreadLocal<ResidentDocumentGet> PER_THREAD =
            ThreadLocal.withInitial(ResidentDocumentGet::new);

    /** Thrown (preallocated, no stack) when the JSON outgrows the buffer: fall back to the worker. */
    private static final IOException TOO_BIG = new IOException("document larger than one response buffer", null) {
        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    };
    private static final ByteBufferSink.Refill NO_REFILL = full -> {
        throw TOO_BIG;
    };
    /** Content-Length values of one response buffer, made on first use; racy but safe (Strings are immutable). */
    private static final String[] LENGTHS = new String[64 * 1024 + 1];

    private final DocumentOutput output = DocumentOutput.get();
    /** Opened on the request's database per call and closed at its end: one snapshot pinned per GET, no garbage. */
    private final DocumentReader reader = DocumentReader.reusable();
    private final ByteBufferSink sink = new ByteBufferSink(ByteBuffer.allocate(0), NO_REFILL);
    /** An ASCII id of at most this many chars is within storage's limit on id bytes. */
    private static final int MAX_ASCII_KEY = dev.blitdb.storage.documents.DocumentIds.MAX_ID_BYTES;
    private final byte[] keyBytes = new byte[MAX_ASCII_KEY];
    private final MemorySegment keySegment = MemorySegment.ofArray(keyBytes);
    private final MemorySegment[] keySlices = new MemorySegment[MAX_ASCII_KEY + 1];
    private long cachedEtag = -1;
    private String cachedDatabaseId;
    private String cachedHeader;
    private String etag;
    private String contentLength;

    private ResidentDocumentGet() {
    }

    /** The calling thread's instance (an IO thread keeps one for its lifetime). */
    public static ResidentDocumentGet forThisThread() {
        return PER_THREAD.get();
    }

    /**
     * Renders document {@code id} of database {@code db} into {@code into} (cleared first, flipped after) when that
     * cannot block or fail: the database is online, the id is valid and exists, the record's pages are resident,
     * the client's {@code If-None-Match} ({@code ifNoneMatch}, may be null) does not name it, and the JSON fits.
     * False otherwise — the caller hands the request to the worker path, which answers everything (errors, 304,
     * cold and large documents). {@code into}'s content is undefined after false.
     */
    public boolean render(DatabaseRegistry registry, String db, String id, String ifNoneMatch, ByteBuffer into) {
        if (id == null || id.isEmpty()) {
            return false;
        }
        try (DatabaseLease lease = registry.acquire(db);
             DocumentReader reader = lease.store().beginRead(this.reader)) {
            MemorySegment key = asciiKey(id);
            boolean found = key != null ? reader.getByKey(key, output.stored) : reader.get(id, output.stored);
            if (!found || !output.stored.record().isLoaded()) {
                return false;
            }
            if (ifNoneMatch != null && ChangeVectorHeaders.matches(ifNoneMatch, output.stored.changeVector())) {
                return false; // the worker path answers 304 with the same rules
            }
            into.clear();
            output.writeDocument(sink.reset(into));
            into.flip();
            etag = etagHeader(output.stored.etag(), output.stored.databaseId());
            contentLength = length(into.remaining());
            return true;
        } catch (IOException | RuntimeException e) {
            return false; // unknown database, bad id, too big: the worker path answers (errors included)
        } finally {
            sink.reset(null); // keep no reference to a pooled buffer past the call
        }
    }

    /**
     * The lookup key of an ASCII id (lowercased, as {@code DocumentIds.key} makes it) in this thread's scratch,
     * as one of the scratch's preallocated slices — no allocation; null for any other id (non-ASCII: the store
     * encodes it; a control character: the store refuses it, and the worker path answers 400).
     */
    private MemorySegment asciiKey(String id) {
        int n = id.length();
        if (n > MAX_ASCII_KEY) {
            return null;
        }
        for (int i = 0; i < n; i++) {
            char c = id.charAt(i);
            if (c < 0x20 || c >= 0x7f) {
                return null;
            }
            keyBytes[i] = (byte) (c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
        }
        MemorySegment slice = keySlices[n];
        if (slice == null) {
            slice = keySegment.asSlice(0, n);
            keySlices[n] = slice;
        }
        return slice;
    }

    /** The quoted change vector of the document last rendered, for {@code ETag}. */
    public String etag() {
        return etag;
    }

    /** The byte length of the document last rendered, for {@code Content-Length}. */
    public String contentLength() {
        return contentLength;
    }

    private String etagHeader(long documentEtag, String databaseId) {
        if (documentEtag != cachedEtag || !databaseId.equals(cachedDatabaseId)) {
            cachedHeader = ChangeVectorHeaders.quoted(output.stored.changeVector());
            cachedEtag = documentEtag;
            cachedDatabaseId = databaseId;
        }
        return cachedHeader;
    }

    private static String length(int n) {
        if (n >= LENGTHS.length) {
            return Integer.toString(n);
        }
        String s = LENGTHS[n];
        if (s == null) {
            s = Integer.toString(n);
            LENGTHS[n] = s;
        }
        return s;
    }
}

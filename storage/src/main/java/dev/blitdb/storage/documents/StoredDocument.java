package dev.blitdb.storage.documents;

import dev.blitdb.blittable.BlitDocument;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Flyweight over one stored document record (tree {@code docs}). Layout, little-endian:
 *
 * <pre>
 *   0 u64 etag            8 u64 last-modified (epoch ms)   16 u32 flags
 *  20 u16 collection bytes (n)   22 u16 id bytes (m)
 *  24 collection (original casing), id (original casing), then the blittable document to the end
 * </pre>
 *
 * Reuse one instance per thread ({@code wrap}); primitives come out without allocation, strings only on request.
 * Everything it returns is valid until the read transaction that produced the record closes.
 */
public final class StoredDocument {

    static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final int HEADER = 24;

    private MemorySegment record;
    private String databaseId;

    StoredDocument wrap(MemorySegment record, String databaseId) {
        this.record = record;
        this.databaseId = databaseId;
        return this;
    }

    static int headerSize(byte[] collection, byte[] id) {
        return HEADER + collection.length + id.length;
    }

    static void writeHeader(MemorySegment to, long etag, long lastModified, int flags, byte[] collection, byte[] id) {
        to.set(U64, 0, etag);
        to.set(U64, 8, lastModified);
        to.set(U32, 16, flags);
        to.set(U16, 20, (short) collection.length);
        to.set(U16, 22, (short) id.length);
        MemorySegment.copy(MemorySegment.ofArray(collection), 0, to, HEADER, collection.length);
        MemorySegment.copy(MemorySegment.ofArray(id), 0, to, HEADER + collection.length, id.length);
    }

    private int collectionBytes() {
        return Short.toUnsignedInt(record.get(U16, 20));
    }

    private int idBytes() {
        return Short.toUnsignedInt(record.get(U16, 22));
    }

    public long etag() {
        return record.get(U64, 0);
    }

    public long lastModifiedMillis() {
        return record.get(U64, 8);
    }

    public int flags() {
        return record.get(U32, 16);
    }

    /** The id in its original casing (allocates a String). */
    public String id() {
        return string(HEADER + collectionBytes(), idBytes());
    }

    /** The collection in its original casing (allocates a String). */
    public String collection() {
        return string(HEADER, collectionBytes());
    }

    /** The id of the database the record was read from (no allocation; part of the change vector). */
    public String databaseId() {
        return databaseId;
    }

    /** {@code A:{etag}-{dbId}} (allocates a String). */
    public String changeVector() {
        return DocumentIds.changeVector(etag(), databaseId);
    }

    /** Last modification as an instant. */
    public Instant lastModified() {
        return Instant.ofEpochMilli(lastModifiedMillis());
    }

    /**
     * The blittable document, {@code @metadata} complete, as a slice of the mapping: stream it with the blittable
     * module's JSON writer. Valid until the read transaction closes.
     */
    public MemorySegment blittable() {
        int start = HEADER + collectionBytes() + idBytes();
        return record.asSlice(start, record.byteSize() - start);
    }

    /** Points a reusable {@link BlitDocument} at {@link #blittable()}. */
    public BlitDocument document(BlitDocument into) {
        return into.wrap(record, HEADER + collectionBytes() + idBytes()); // in place: no slice per read
    }

    /** The whole record (header and document), e.g. for {@code madvise}. */
    public MemorySegment record() {
        return record;
    }

    private String string(int offset, int length) {
        return new String(record.asSlice(offset, length).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
    }
}

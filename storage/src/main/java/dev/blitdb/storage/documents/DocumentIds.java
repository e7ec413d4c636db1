package dev.blitdb.storage.documents;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Rules and key encodings for ids and collections.
 *
 * <p>Ids are case-insensitive: they are looked up by their lowercased form ({@link Locale#ROOT}) and kept in their
 * original casing. An id is 1 to {@value #MAX_ID_BYTES} bytes of UTF-8 (both forms), with no control characters
 * (U+0000–U+001F, U+007F). A collection name is 1 to {@value #MAX_COLLECTION_BYTES} bytes with the same rules;
 * documents without {@code @metadata.@collection} belong to {@value #EMPTY_COLLECTION}.
 */
public final class DocumentIds {

    public static final int MAX_ID_BYTES = 512;
    public static final int MAX_COLLECTION_BYTES = 255;
    public static final String EMPTY_COLLECTION = "@empty";

    private DocumentIds() {
    }

    /**
     * An id that passed the rules, with its lookup key: check once where the id enters (the HTTP route, before the
     * body is read) and hand this on, so the store does not check and encode it again.
     */
    public static final class ValidId {
        private final String id;
        private final byte[] key;

        private ValidId(String id, byte[] key) {
            this.id = id;
            this.key = key;
        }

        public String id() {
            return id;
        }

        /** The lowercased UTF-8 lookup key (not copied: do not change it). */
        byte[] key() {
            return key;
        }
    }

    /** Checks {@code id} against the rules once; the result carries its lookup key. */
    public static ValidId validate(String id) {
        return new ValidId(id, key(id));
    }

    /** The lookup key of an id (lowercased UTF-8), after checking the rules. */
    public static byte[] key(String id) {
        if (id == null || id.isEmpty()) {
            throw new InvalidIdException("document id is empty; give an id of 1.." + MAX_ID_BYTES + " UTF-8 bytes");
        }
        check(id, "document id", MAX_ID_BYTES);
        byte[] lower = id.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8);
        if (lower.length > MAX_ID_BYTES) {
            throw new InvalidIdException("document id is " + lower.length + " UTF-8 bytes once lowercased, over the "
                    + "limit of " + MAX_ID_BYTES);
        }
        return lower;
    }

    /** Checks a collection name and returns it (or {@value #EMPTY_COLLECTION} for null). */
    public static String collection(String name) {
        if (name == null) {
            return EMPTY_COLLECTION;
        }
        if (name.isEmpty()) {
            throw new InvalidIdException("@metadata.@collection is empty; omit it or give 1.."
                    + MAX_COLLECTION_BYTES + " UTF-8 bytes");
        }
        check(name, "collection name", MAX_COLLECTION_BYTES);
        return name;
    }

    private static void check(String s, String what, int max) {
        int bytes = s.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > max) {
            throw new InvalidIdException(what + " is " + bytes + " UTF-8 bytes, over the limit of " + max
                    + ": '" + s.substring(0, Math.min(40, s.length())) + "…'");
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                throw new InvalidIdException(what + " contains control character U+"
                        + String.format("%04X", (int) c) + " at position " + i);
            }
        }
    }

    static byte[] collectionKey(String collection) {
        return collection.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8);
    }

    static byte[] etagKey(long etag) {
        return ByteBuffer.allocate(8).putLong(etag).array();
    }

    /** (u16 length, lowercased collection, etag big-endian) — the key of tree {@code collection-etags}. */
    static byte[] collectionEtagKey(byte[] collectionKey, long etag) {
        return ByteBuffer.allocate(2 + collectionKey.length + 8).putShort((short) collectionKey.length)
                .put(collectionKey).putLong(etag).array();
    }

    static byte[] collectionPrefix(byte[] collectionKey) {
        return ByteBuffer.allocate(2 + collectionKey.length).putShort((short) collectionKey.length)
                .put(collectionKey).array();
    }

    /** The change vector of an etag in a database: {@code A:{etag}-{dbId}}. */
    public static String changeVector(long etag, String databaseId) {
        return "A:" + etag + "-" + databaseId;
    }
}

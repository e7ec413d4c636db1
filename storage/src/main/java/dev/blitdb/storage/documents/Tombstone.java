package dev.blitdb.storage.documents;

/** A deleted document as indexes see it: the delete's etag, the id (original casing) and its collection. */
public record Tombstone(long etag, String id, String collection, long deletedMillis) {
}

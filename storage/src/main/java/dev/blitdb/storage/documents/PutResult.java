package dev.blitdb.storage.documents;

/** What a put wrote: the id as stored (original casing), its new change vector, etag and collection. */
public record PutResult(String id, String changeVector, long etag, String collection) {
}

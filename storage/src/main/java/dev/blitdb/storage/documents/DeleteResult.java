package dev.blitdb.storage.documents;

/**
 * What a delete did.
 *
 * @param deleted        whether a document existed and was removed
 * @param tombstoneEtag  etag of the tombstone written, or 0 when nothing was deleted
 */
public record DeleteResult(String id, boolean deleted, long tombstoneEtag) {
}

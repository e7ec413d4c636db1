/**
 * The document store of one database, on top of the engine and the transaction merger.
 *
 * <p>Trees (all in the database's one store):
 * <ul>
 *   <li>{@code docs}: lowercased id (UTF-8) → {@link dev.blitdb.storage.documents.StoredDocument} record: a small
 *       header (etag, last-modified, flags, collection and id in their original casing) followed by the
 *       blittable document whose {@code @metadata} already holds {@code @id}, {@code @collection},
 *       {@code @change-vector} and {@code @last-modified}, so a read streams it to JSON as stored;</li>
 *   <li>{@code etags}: etag (8 bytes big-endian) → lowercased id, every live document in write order;</li>
 *   <li>{@code collection-etags}: (collection length, lowercased collection, etag) → lowercased id, so an index
 *       walks one collection in write order from any etag;</li>
 *   <li>{@code tombstones}: etag of the delete → (deleted-at, collection, original id), so indexes see deletes;</li>
 *   <li>{@code collections}: lowercased collection → (count, original name);</li>
 *   <li>{@code hilo}: lowercased collection → highest id number handed out;</li>
 *   <li>{@code db}: the database id and the last etag.</li>
 * </ul>
 * Every write goes through the merger; each document operation validates first (id, size, expected change
 * vector, file space) and only then changes pages, so a rejected operation fails alone.
 */
package dev.blitdb.storage.documents;

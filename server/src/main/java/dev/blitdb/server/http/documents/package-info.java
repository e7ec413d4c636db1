/**
 * The document routes: reads streamed from blittable in the mapped store, writes converted once and committed
 * through the transaction merger, bulk_docs in one transaction. See {@code server/API.md}.
 */
package dev.blitdb.server.http.documents;

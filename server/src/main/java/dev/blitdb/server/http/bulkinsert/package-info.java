/**
 * {@code POST /databases/{db}/bulk_insert}: a stream of newline-delimited documents converted as they arrive
 * and committed in large batches through the transaction merger, with bounded memory. See {@code server/API.md}.
 */
package dev.blitdb.server.http.bulkinsert;

/**
 * JSON at the HTTP edge that is not a document: {@link dev.blitdb.server.http.json.JsonEnvelope}, the one reader of
 * request envelopes (and of their errors: 400 {@code InvalidJson} with numeric {@code Line}/{@code Column}), and
 * {@link dev.blitdb.server.http.json.JsonBody}, small response bodies written with Jackson's generator.
 */
package dev.blitdb.server.http.json;

/**
 * Export and import of a database as a dump: gzip'd NDJSON, a header line first, one record per line (the format
 * is specified in {@code server/EXPORT.md}).
 */
package dev.blitdb.server.http.dump;

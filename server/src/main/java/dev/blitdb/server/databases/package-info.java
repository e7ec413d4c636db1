/**
 * The database registry: several databases open at once under {@code --data-dir}, each a {@link
 * dev.blitdb.server.databases.Database} holding its own document store and the per-database services hung on it;
 * requests hold a {@link dev.blitdb.server.databases.DatabaseLease} so a drop or a shut-down waits for them.
 * Nothing here knows about HTTP; the exceptions are mapped to statuses in {@code http.errors.ExceptionMapping}.
 */
package dev.blitdb.server.databases;

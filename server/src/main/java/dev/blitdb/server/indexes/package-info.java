/** The per-database index service: the indexing module's manager and query executor, hung on each database. */
package dev.blitdb.server.indexes;

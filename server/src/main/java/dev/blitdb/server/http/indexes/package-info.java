/** The index routes: definitions, stats, errors, staleness, priority, stop/start, reset, drop. */
package dev.blitdb.server.http.indexes;

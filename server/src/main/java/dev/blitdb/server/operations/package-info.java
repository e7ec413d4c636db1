/**
 * Long-running work as operations: backup, restore, export, import, compaction and index rebuilds run on their
 * own thread, report progress, can be cancelled, and are followed through {@code /operations/{id}}.
 */
package dev.blitdb.server.operations;

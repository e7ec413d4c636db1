/** Periodic backups: a per-database schedule, persisted beside the store, run as operations. */
package dev.blitdb.server.backup;

/** Backup and restore routes; the work runs as operations ({@code dev.blitdb.server.operations}). */
package dev.blitdb.server.http.backup;

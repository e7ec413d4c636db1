/**
 * Sessions: the unit of work with an identity map, change tracking, optimistic concurrency and a request budget
 * ({@link dev.blitdb.client.session.DocumentSession}), and the pieces a store shares with its sessions (entity
 * mapping, hi-lo ids).
 */
package dev.blitdb.client.session;

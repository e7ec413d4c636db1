/**
 * Principals (API keys, client certificates), clearances and access levels, the immutable snapshot of all
 * principals, the allocation-free authenticator and the per-address failure limiter. server/SECURITY.md.
 */
package dev.blitdb.server.security.auth;

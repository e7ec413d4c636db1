/** Benchmarks of the security path: the authorization step's cost and allocation per request. */
package dev.blitdb.bench.security;

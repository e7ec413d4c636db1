/** HTTP load generation (closed loop, latency histogram), the bare Undertow ceiling, loaders for the HTTP benchmarks. */
package dev.blitdb.bench.http;

/** Benchmarks of the Java client SDK against a server in its own JVM (bulk insert). */
package dev.blitdb.bench.client;

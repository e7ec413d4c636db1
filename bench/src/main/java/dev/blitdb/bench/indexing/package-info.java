/**
 * Indexing benchmarks: rebuild throughput against raw Lucene and Jackson + Lucene, cold-cache prefetch, priority
 * under HTTP load, query latency. Results in {@code bench/results/indexing.md}.
 */
package dev.blitdb.bench.indexing;

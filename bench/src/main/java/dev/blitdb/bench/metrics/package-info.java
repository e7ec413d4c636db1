/** The cost of /metrics: scrape time over many databases and indexes (results in bench/results/metrics.md). */
package dev.blitdb.bench.metrics;

/** JMH benchmarks, side by side with peers; results in {@code bench/results/}. */
package dev.blitdb.bench;

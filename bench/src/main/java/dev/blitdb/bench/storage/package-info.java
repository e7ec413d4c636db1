/**
 * Storage benchmarks: BlitDB's engine side by side with LMDB (lmdbjava 0.9.3) on the workloads of the public
 * lmdbjava benchmarks, the transaction merger's group commit, and the churn report. Results and commands are in
 * {@code bench/results/storage.md}.
 */
package dev.blitdb.bench.storage;

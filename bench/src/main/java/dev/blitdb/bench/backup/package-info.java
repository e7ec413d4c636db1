/** Full backup (compacting snapshot copy) against {@code cp} of the data file: {@code bench/results/backup.md}. */
package dev.blitdb.bench.backup;

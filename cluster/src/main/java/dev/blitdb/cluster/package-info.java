/**
 * Replication: every database is one Raft group (Apache Ratis, one {@code RaftServer} per node hosting many
 * groups). See {@code cluster/README.md} for the design: the log entry format, how writes are batched and applied,
 * reads, durability and fail-over.
 */
package dev.blitdb.cluster;

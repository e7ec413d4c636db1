/**
 * Server wiring of replication (the {@code cluster} module): the {@code --node-id}/{@code --cluster} flags, the
 * service that binds each database to its Raft group, the cluster routes ({@code /cluster/topology}, creating and
 * dropping a database on every node) and the read-side headers ({@code Raft-Applied-Index},
 * {@code ?consistency=linearizable}). See server/API.md, "Cluster".
 */
package dev.blitdb.server.cluster;

/**
 * Ratis's metrics, kept as plain sums: the {@link org.apache.ratis.metrics.MetricRegistries} implementation Ratis
 * loads (cluster/README.md, "Ratis metrics").
 */
package dev.blitdb.cluster.metrics;

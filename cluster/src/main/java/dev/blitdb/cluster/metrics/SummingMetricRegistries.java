package dev.blitdb.cluster.metrics;

import org.apache.ratis.metrics.MetricRegistries;
import org.apache.ratis.metrics.MetricRegistryInfo;
import org.apache.ratis.metrics.RatisMetricRegistry;
import org.apache.ratis.util.RefCountingMap;
import org.apache.ratis.util.TimeDuration;

import java.util.Collection;
import java.util.Collections;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The metrics implementation Ratis finds through {@link java.util.ServiceLoader} (instead of
 * {@code ratis-metrics-default}): registries of {@link SummingMetricRegistry}, counted by reference like Ratis's own
 * (every division creating a registry for the same name shares it until the last one removes it). Why not the
 * default: its timers are Dropwizard timers with a decaying reservoir (a lock and a skip-list insert per sample),
 * and Ratis times ~10 things per log entry on every node (log queueing, write, flush, sync, append latency per
 * follower, apply, each client request); nothing in BlitDB reads those percentiles, the profile showed the
 * reservoirs at 1-2 % of each node's CPU (bench/results/cluster.md). No reporter: nothing is exported over JMX.
 */
public final class SummingMetricRegistries extends MetricRegistries {

    private final RefCountingMap<MetricRegistryInfo, RatisMetricRegistry> registries = new RefCountingMap<>();

    @Override
    public void clear() {
        registries.clear();
    }

    @Override
    public RatisMetricRegistry create(MetricRegistryInfo info) {
        return registries.put(info, () -> new SummingMetricRegistry(info));
    }

    @Override
    public boolean remove(MetricRegistryInfo key) {
        return registries.remove(key) == null;
    }

    @Override
    public Optional<RatisMetricRegistry> get(MetricRegistryInfo info) {
        return Optional.ofNullable(registries.get(info));
    }

    @Override
    public Set<MetricRegistryInfo> getMetricRegistryInfos() {
        return Collections.unmodifiableSet(registries.keySet());
    }

    @Override
    public Collection<RatisMetricRegistry> getMetricRegistries() {
        return Collections.unmodifiableCollection(registries.values());
    }

    /** No reporters: the sums are read in-process ({@link SummingMetricRegistry#snapshot}), never exported. */
    @Override
    public void addReporterRegistration(Consumer<RatisMetricRegistry> reporterRegistration,
                                        Consumer<RatisMetricRegistry> stopReporter) {
    }

    @Override
    public void enableJmxReporter() {
    }

    @Override
    public void enableConsoleReporter(TimeDuration consoleReportRate) {
    }
}

package dev.blitdb.cluster.metrics;

import org.apache.ratis.metrics.LongCounter;
import org.apache.ratis.metrics.MetricRegistryInfo;
import org.apache.ratis.metrics.RatisMetricRegistry;
import org.apache.ratis.metrics.Timekeeper;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * One Ratis metric registry: counters and timers are {@link LongAdder} sums (a timer: how many and how many
 * nanoseconds in all, no percentiles), gauges the suppliers Ratis registers, read when asked.
 */
public final class SummingMetricRegistry implements RatisMetricRegistry {

    /** A value as read: a counter's count, a timer's count and total nanoseconds, or a gauge's current value. */
    public sealed interface Reading {
        record Count(long count) implements Reading { }
        record Time(long count, long totalNanos) implements Reading { }
        record Gauge(Object value) implements Reading { }
    }

    private final MetricRegistryInfo info;
    private final Map<String, Object> metrics = new ConcurrentHashMap<>();

    SummingMetricRegistry(MetricRegistryInfo info) {
        this.info = info;
    }

    @Override
    public Timekeeper timer(String name) {
        return (Timekeeper) metrics.computeIfAbsent(name, n -> new SummingTimer());
    }

    @Override
    public LongCounter counter(String name) {
        return (LongCounter) metrics.computeIfAbsent(name, n -> new SummingCounter());
    }

    @Override
    public boolean remove(String name) {
        return metrics.remove(name) != null;
    }

    @Override
    public <T> void gauge(String name, Supplier<Supplier<T>> gaugeSupplier) {
        metrics.put(name, new GaugeOf(gaugeSupplier.get()));
    }

    @Override
    public MetricRegistryInfo getMetricRegistryInfo() {
        return info;
    }

    /** Every metric of this registry by name, read now. */
    public Map<String, Reading> snapshot() {
        Map<String, Reading> out = new TreeMap<>();
        metrics.forEach((name, m) -> out.put(name, switch (m) {
            case SummingTimer t -> new Reading.Time(t.count.sum(), t.nanos.sum());
            case SummingCounter c -> new Reading.Count(c.getCount());
            case GaugeOf g -> new Reading.Gauge(g.value.get());
            default -> throw new IllegalStateException("unknown metric " + m);
        }));
        return out;
    }

    private static final class SummingTimer implements Timekeeper {
        final LongAdder count = new LongAdder();
        final LongAdder nanos = new LongAdder();

        @Override
        public Context time() {
            long start = System.nanoTime();
            return () -> {
                long elapsed = System.nanoTime() - start;
                count.increment();
                nanos.add(elapsed);
                return elapsed;
            };
        }
    }

    private static final class SummingCounter implements LongCounter {
        private final LongAdder sum = new LongAdder();

        @Override
        public void inc(long n) {
            sum.add(n);
        }

        @Override
        public void dec(long n) {
            sum.add(-n);
        }

        @Override
        public long getCount() {
            return sum.sum();
        }
    }

    private record GaugeOf(Supplier<?> value) { }
}

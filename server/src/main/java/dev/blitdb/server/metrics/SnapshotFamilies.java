package dev.blitdb.server.metrics;

import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Unit;

import java.util.ArrayList;
import java.util.List;

/**
 * Metric families filled during one scrape: a name, help and unit, then one data point per label set. Families
 * left without data points are not written (a server with no index shows no index metric).
 */
final class SnapshotFamilies {

    private SnapshotFamilies() {
    }

    sealed interface Family permits Gauge, Counter {
        boolean isEmpty();

        MetricSnapshot build();
    }

    static final class Gauge implements Family {
        private final GaugeSnapshot.Builder builder;
        private boolean empty = true;

        Gauge(String name, String help, Unit unit) {
            builder = GaugeSnapshot.builder().name(name).help(help);
            if (unit != null) {
                builder.unit(unit);
            }
        }

        void add(Labels labels, double value) {
            builder.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(labels).value(value).build());
            empty = false;
        }

        public boolean isEmpty() {
            return empty;
        }

        public MetricSnapshot build() {
            return builder.build();
        }
    }

    static final class Counter implements Family {
        private final CounterSnapshot.Builder builder;
        private boolean empty = true;

        Counter(String name, String help, Unit unit) {
            builder = CounterSnapshot.builder().name(name).help(help);
            if (unit != null) {
                builder.unit(unit);
            }
        }

        void add(Labels labels, double value) {
            builder.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().labels(labels).value(value).build());
            empty = false;
        }

        public boolean isEmpty() {
            return empty;
        }

        public MetricSnapshot build() {
            return builder.build();
        }
    }

    static MetricSnapshots snapshots(Family... families) {
        List<MetricSnapshot> out = new ArrayList<>(families.length);
        for (Family f : families) {
            if (!f.isEmpty()) {
                out.add(f.build());
            }
        }
        return new MetricSnapshots(out);
    }
}

package dev.blitdb.cluster.metrics;

import org.apache.ratis.metrics.LongCounter;
import org.apache.ratis.metrics.MetricRegistries;
import org.apache.ratis.metrics.MetricRegistryInfo;
import org.apache.ratis.metrics.RatisMetricRegistry;
import org.apache.ratis.metrics.Timekeeper;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SummingMetricRegistriesTest {

    private static final MetricRegistryInfo LOG_INFO = new MetricRegistryInfo("A@group-1", "ratis", "log_worker", "");

    @Test
    void shouldBeTheImplementationRatisLoads() {
        assertInstanceOf(SummingMetricRegistries.class, MetricRegistries.global());
    }

    @Test
    void shouldSumCountersAndTimersAndReadGauges() throws Exception {
        SummingMetricRegistries registries = new SummingMetricRegistries();
        SummingMetricRegistry r = (SummingMetricRegistry) registries.create(LOG_INFO);
        LongCounter flushes = r.counter("flushCount");
        flushes.inc();
        flushes.inc(4);
        flushes.dec();
        assertSame(flushes, r.counter("flushCount"));

        Timekeeper sync = r.timer("syncTime");
        long slept = 0;
        for (int i = 0; i < 3; i++) {
            Timekeeper.Context c = sync.time();
            Thread.sleep(2);
            slept += c.stop();
        }
        AtomicLong pending = new AtomicLong(7);
        r.gauge("pending", () -> pending::get);
        pending.set(9);

        var readings = r.snapshot();
        assertEquals(new SummingMetricRegistry.Reading.Count(4), readings.get("flushCount"));
        var time = (SummingMetricRegistry.Reading.Time) readings.get("syncTime");
        assertEquals(3, time.count());
        assertEquals(slept, time.totalNanos());
        assertTrue(time.totalNanos() >= 6_000_000L, "three sleeps of 2 ms: " + time.totalNanos());
        assertEquals(new SummingMetricRegistry.Reading.Gauge(9L), readings.get("pending"));

        assertTrue(r.remove("pending"));
        assertFalse(r.snapshot().containsKey("pending"));
    }

    @Test
    void shouldShareARegistryUntilItsLastUserRemovesIt() {
        SummingMetricRegistries registries = new SummingMetricRegistries();
        RatisMetricRegistry first = registries.create(LOG_INFO);
        RatisMetricRegistry second = registries.create(new MetricRegistryInfo("A@group-1", "ratis", "log_worker", ""));
        assertSame(first, second);
        assertFalse(registries.remove(LOG_INFO)); // one user left
        assertSame(first, registries.get(LOG_INFO).orElseThrow());
        assertTrue(registries.remove(LOG_INFO));
        assertTrue(registries.get(LOG_INFO).isEmpty());
        assertTrue(registries.getMetricRegistryInfos().isEmpty());
    }
}

package dev.blitdb.server.metrics;

import dev.blitdb.server.databases.DatabaseRegistry;
import dev.blitdb.server.databases.DatabaseService;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.instrumentation.jvm.JvmBufferPoolMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmClassLoadingMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmCompilationMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmGarbageCollectorMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmMemoryMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmMemoryPoolAllocationMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmNativeMemoryMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmRuntimeInfoMetric;
import io.prometheus.metrics.instrumentation.jvm.ProcessMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.io.OutputStream;

/**
 * The server's metrics: its own registry (not the client library's global one, so two servers in one JVM — tests —
 * never share series), the JVM's (heap, GC, threads, from the client's JVM instrumentation), HTTP requests,
 * per-commit histograms, and the scrape-time database and index collector.
 */
public final class ServerMetrics {

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final HttpMetrics http = new HttpMetrics(registry);
    private final CommitMetrics commits = new CommitMetrics(registry);
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

    public ServerMetrics() {
        // The client's JVM metrics, all but JvmThreadsMetrics: per scrape it takes a ThreadInfo of every thread
        // and runs both deadlock detectors, safepoint operations that stop the whole JVM (the GET path included)
        // for time that grows with the thread count, and a server has a thread per index. The thread counts are
        // read from ThreadMXBean's counters instead, under the library's names.
        JvmMemoryMetrics.builder().register(registry);
        JvmGarbageCollectorMetrics.builder().register(registry);
        JvmMemoryPoolAllocationMetrics.builder().register(registry);
        JvmBufferPoolMetrics.builder().register(registry);
        JvmClassLoadingMetrics.builder().register(registry);
        JvmCompilationMetrics.builder().register(registry);
        JvmRuntimeInfoMetric.builder().register(registry);
        JvmNativeMemoryMetrics.builder().register(registry);
        ProcessMetrics.builder().register(registry);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        GaugeWithCallback.builder().name("jvm_threads_current").help("Current thread count of a JVM")
                .callback(c -> c.call(threads.getThreadCount())).register(registry);
        GaugeWithCallback.builder().name("jvm_threads_daemon").help("Daemon thread count of a JVM")
                .callback(c -> c.call(threads.getDaemonThreadCount())).register(registry);
        GaugeWithCallback.builder().name("jvm_threads_peak").help("Peak thread count of a JVM")
                .callback(c -> c.call(threads.getPeakThreadCount())).register(registry);
        CounterWithCallback.builder().name("jvm_threads_started").help("Started thread count of a JVM")
                .callback(c -> c.call(threads.getTotalStartedThreadCount())).register(registry);
    }

    /** Starts collecting database and index numbers from {@code databases} at scrape time. */
    public void watch(DatabaseRegistry databases) {
        registry.register(new DatabaseCollector(databases));
    }

    /** Exposes how often TLS connections' client certificates were read (once per connection). */
    public void watchPeerCertificateReads(java.util.function.LongSupplier reads) {
        io.prometheus.metrics.core.metrics.CounterWithCallback.builder()
                .name("blitdb_tls_peer_certificate_reads")
                .help("Client certificates read and hashed from TLS connections (once per connection, HTTP/2 "
                        + "included; requests on the connection reuse the thumbprint)")
                .callback(callback -> callback.call(reads.getAsLong()))
                .register(registry);
    }

    public HttpMetrics http() {
        return http;
    }

    /** The database service that feeds the commit histograms; register it with the database registry. */
    public DatabaseService.Factory commitObserver() {
        return commits.factory();
    }

    /** The {@code Content-Type} of {@link #scrape}. */
    public String contentType() {
        return writer.getContentType();
    }

    /** Collects every metric now and writes them in the Prometheus text format (0.0.4). */
    public void scrape(OutputStream out) throws IOException {
        writer.write(out, registry.scrape(), io.prometheus.metrics.config.EscapingScheme.UNDERSCORE_ESCAPING);
    }
}

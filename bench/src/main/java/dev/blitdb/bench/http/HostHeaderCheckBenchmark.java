package dev.blitdb.bench.http;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.HostHeaderHandler;
import io.undertow.util.Headers;
import io.undertow.util.Protocols;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * What Undertow's Host header check costs every HTTP/1.1 request: its read listener wraps the root handler in a
 * new {@link HostHeaderHandler} per request and runs it (an IPv4 regex on every host that is not a bracketed IPv6
 * literal, then a character table). Measured in isolation, with a handler behind it that does nothing; run with
 * {@code -prof gc} (bench/results/http.md, fourth session).
 *
 * <pre>
 * java -jar bench/target/benchmarks.jar HostHeaderCheckBenchmark -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class HostHeaderCheckBenchmark {

    @Param({"127.0.0.1:8080", "db.example.com:8080"})
    public String host;

    private final HttpHandler next = exchange -> { };
    private HttpServerExchange exchange;

    @Setup
    public void setUp() {
        exchange = new HttpServerExchange(null);
        exchange.setProtocol(Protocols.HTTP_1_1);
        exchange.getRequestHeaders().put(Headers.HOST, host);
    }

    /** As {@code HttpReadListener} does per request: wrap, then handle. */
    @Benchmark
    public HttpServerExchange wrapAndCheck() throws Exception {
        HostHeaderHandler.WRAPPER.wrap(next).handleRequest(exchange);
        return exchange;
    }
}

package dev.blitdb.bench.security;

import dev.blitdb.server.http.security.RequestSecurity;
import dev.blitdb.server.security.auth.Access;
import dev.blitdb.server.security.auth.Clearance;
import dev.blitdb.server.security.auth.FailedAuthentications;
import dev.blitdb.server.security.store.SecurityStore;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import io.undertow.util.PathTemplateMatch;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The authorization step in front of {@code GET /databases/{db}/docs} (the GET fast path's route), as the server
 * builds it ({@link RequestSecurity#guard}), on one exchange whose headers and route match are set once: with a
 * Bearer key of a Read user (authentication enforced: header parse, key lookup by id, SHA-256, constant-time
 * compare, permission check) and with authentication off. Run with {@code -prof gc}: both must show ~0 B/op.
 * {@code java -jar bench/target/benchmarks.jar AuthorizationBenchmark -prof gc}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class AuthorizationBenchmark {

    private Path dir;
    private SecurityStore store;
    private HttpHandler enforced;
    private HttpHandler off;
    private HttpServerExchange exchange;
    private long served;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("blitdb-authz-bench");
        store = SecurityStore.open(dir);
        for (int i = 0; i < 50; i++) { // a realistic table, not a single entry
            store.createApiKey("app" + i, Clearance.USER, Map.of("db" + i, Access.READ));
        }
        String key = store.createApiKey("reader", Clearance.USER, Map.of("default", Access.READ)).text();
        HttpHandler next = exchange -> served++;
        var on = new RequestSecurity(true, new FailedAuthentications(10, 60_000), null);
        on.attach(store);
        enforced = on.guard(Methods.GET, "/databases/{db}/docs", next);
        var none = new RequestSecurity(false, new FailedAuthentications(10, 60_000), null);
        none.attach(store);
        off = none.guard(Methods.GET, "/databases/{db}/docs", next);

        HeaderMap headers = new HeaderMap();
        headers.put(Headers.AUTHORIZATION, "Bearer " + key);
        exchange = new HttpServerExchange(null, headers, new HeaderMap(), 0);
        exchange.setRequestMethod(Methods.GET);
        var match = new PathTemplateMatch("/databases/{db}/docs", Map.of("db", "default"));
        exchange.putAttachment(PathTemplateMatch.ATTACHMENT_KEY, match);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        if (served == 0) {
            throw new IllegalStateException("the authorization step never let the request through");
        }
        store.close();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Benchmark
    public long bearerKeyEnforced() throws Exception {
        enforced.handleRequest(exchange);
        return served;
    }

    @Benchmark
    public long authenticationOff() throws Exception {
        off.handleRequest(exchange);
        return served;
    }
}

package dev.blitdb.server.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import dev.blitdb.server.http.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** GET /metrics over real HTTP: parsed strictly, values checked against /stats and /indexes/stats. */
class MetricsEndpointTest {

    @TempDir
    Path data;
    private TestServer server;

    @BeforeEach
    void start() throws Exception {
        server = TestServer.start(data);
        assertEquals(201, server.createDatabase("shop").statusCode());
        for (int i = 0; i < 20; i++) {
            assertEquals(201, server.put("shop", "users/" + i, "{\"Name\":\"user " + i
                    + "\",\"@metadata\":{\"@collection\":\"Users\"}}").statusCode());
        }
        var define = server.send(server.at("/databases/shop/admin/indexes").PUT(HttpRequest.BodyPublishers.ofString(
                "[{\"Name\":\"Users/ByName\",\"Collection\":\"Users\",\"Fields\":{\"Name\":{\"Path\":\"Name\","
                        + "\"Type\":\"Keyword\"}}}]")));
        assertTrue(define.statusCode() < 300, define.body());
        var query = server.post("/databases/shop/queries", "{\"Query\":\"from index 'Users/ByName' where Name = "
                + "'user 3'\",\"WaitForNonStaleResults\":true}");
        assertEquals(200, query.statusCode(), query.body());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> scrape() throws Exception {
        HttpResponse<String> r = server.get("/metrics");
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"),
                r.headers().toString());
        return r;
    }

    @Test
    void shouldExposeRequestDatabaseIndexAndJvmMetricsThatAgreeWithStats() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertEquals(200, server.getDoc("shop", "users/1").statusCode());
        }
        assertEquals(404, server.getDoc("shop", "users/missing").statusCode());
        assertEquals(404, server.get("/no/such/route").statusCode());
        JsonNode stats = TestServer.json(server.get("/databases/shop/stats"));
        JsonNode index = TestServer.json(server.get("/databases/shop/indexes/stats")).get("Results").get(0);

        PrometheusText m = PrometheusText.parse(scrape().body());

        String docs = "/databases/{db}/docs";
        assertEquals(3, m.value("blitdb_http_request_duration_seconds_count", "route", docs, "method", "GET",
                "status", "200"));
        assertEquals(1, m.value("blitdb_http_request_duration_seconds_count", "route", docs, "method", "GET",
                "status", "404"));
        assertEquals(20, m.value("blitdb_http_request_duration_seconds_count", "route", docs, "method", "PUT",
                "status", "201"));
        assertEquals(1, m.value("blitdb_http_request_duration_seconds_count", "route", "unmatched", "method", "ANY",
                "status", "404"));
        assertEquals("histogram", m.types.get("blitdb_http_request_duration_seconds"));

        assertEquals(stats.get("CountOfDocuments").asDouble(), m.value("blitdb_database_documents", "database", "shop"));
        assertEquals(stats.get("SizeOnDiskBytes").asDouble(), m.value("blitdb_store_file_bytes", "database", "shop"));
        assertEquals(stats.get("UsedPages").asDouble(), m.value("blitdb_store_used_pages", "database", "shop"));
        assertEquals(stats.get("FreePages").asDouble(), m.value("blitdb_store_free_pages", "database", "shop"));
        assertEquals(stats.get("LastEtag").asDouble(), m.value("blitdb_database_last_etag", "database", "shop"));
        assertEquals(stats.get("Merger").get("Commits").asDouble(),
                m.value("blitdb_merger_commits_total", "database", "shop"));
        assertEquals(stats.get("Merger").get("Operations").asDouble(),
                m.value("blitdb_merger_writes_total", "database", "shop"));
        assertEquals(1, m.value("blitdb_database_online", "database", "shop"));
        assertEquals(0, m.value("blitdb_merger_queue_depth", "database", "shop"));
        assertEquals(0, m.value("blitdb_store_oldest_reader_age_seconds", "database", "shop"));
        double commits = m.value("blitdb_commit_duration_seconds_count", "database", "shop");
        assertTrue(commits > 0 && commits <= stats.get("Merger").get("Commits").asDouble(), "commits " + commits);
        assertEquals(commits, m.value("blitdb_commit_sync_duration_seconds_count", "database", "shop"));
        assertTrue(m.value("blitdb_commit_writes_sum", "database", "shop") >= 20, "the 20 PUTs went through commits");
        assertTrue(m.value("blitdb_commit_written_bytes_total", "database", "shop") >= 20 * 30);
        double resident = m.value("blitdb_store_page_cache_resident_bytes", "database", "shop");
        assertTrue(resident > 0 && resident <= stats.get("SizeOnDiskBytes").asDouble(), "resident " + resident);

        JsonNode progress = index.get("Progress");
        assertEquals(20, progress.get("Processed").asInt());
        assertEquals(20, progress.get("Total").asInt());
        assertEquals(100.0, progress.get("Percent").asDouble());
        assertTrue(progress.get("EtaSeconds").isNull(), "caught up: no ETA");
        assertTrue(progress.has("DocumentsPerSecond"));
        assertEquals(0, index.get("LagDocuments").asInt());

        String[] idx = {"database", "shop", "index", "Users/ByName"};
        assertEquals(index.get("Entries").asDouble(), m.value("blitdb_index_entries", idx));
        assertEquals(20, m.value("blitdb_index_entries", idx));
        assertEquals(0, m.value("blitdb_index_lag_documents", idx));
        assertEquals(0, m.value("blitdb_index_lag_etags", idx));
        assertEquals(1, m.value("blitdb_index_progress_ratio", idx));
        assertEquals(0, m.value("blitdb_index_stale", idx));
        assertEquals(0, m.value("blitdb_index_errors_total", idx));
        assertEquals(20, m.value("blitdb_index_documents_indexed_total", idx));
        if (!index.get("EffectiveNice").isNull()) {
            assertEquals(index.get("EffectiveNice").asDouble(), m.value("blitdb_index_nice", idx));
        }
        assertTrue(m.value("blitdb_index_last_batch_duration_seconds", idx) > 0);
        assertEquals(1, m.value("blitdb_index_state", "database", "shop", "index", "Users/ByName",
                "state", "Idle"));
        // Only the current state has a series (one per index, not one per possible state).
        assertEquals(1, m.samples.stream().filter(s -> s.name().equals("blitdb_index_state")).count(),
                "one state series per index");

        assertTrue(m.value("jvm_memory_used_bytes", "area", "heap") > 0);
        assertTrue(m.samples.stream().anyMatch(s -> s.name().startsWith("jvm_gc_collection_seconds")),
                "GC metrics");
        // Thread counts from ThreadMXBean's counters; no per-thread state series (that needs a stop-the-world
        // dump of every thread per scrape).
        assertTrue(m.value("jvm_threads_current") >= m.value("jvm_threads_daemon"));
        assertTrue(m.value("jvm_threads_started_total") >= m.value("jvm_threads_current"));
        assertTrue(m.value("jvm_threads_peak") >= m.value("jvm_threads_current"));
        assertTrue(m.samples.stream().noneMatch(s -> s.name().equals("jvm_threads_state")), "no thread dump");

        // Bounded cardinality: no document id, no query text in any label value.
        for (var s : m.samples) {
            for (String v : s.labels().values()) {
                assertFalse(v.contains("users/") || v.contains("user 3") || v.contains("from "), s.toString());
            }
        }
    }

    @Test
    void shouldDropTheSeriesOfADroppedDatabase() throws Exception {
        assertEquals(201, server.createDatabase("temp").statusCode());
        assertEquals(201, server.put("temp", "a/1", "{}").statusCode());
        PrometheusText before = PrometheusText.parse(scrape().body());
        assertEquals(1, before.value("blitdb_database_documents", "database", "temp"));
        assertTrue(before.value("blitdb_commit_duration_seconds_count", "database", "temp") >= 1);
        assertTrue(server.dropDatabase("temp").statusCode() < 300);
        PrometheusText after = PrometheusText.parse(scrape().body());
        assertTrue(after.samples.stream().noneMatch(s -> "temp".equals(s.labels().get("database"))),
                "no series of the dropped database are left");
    }

    /** The same scrape read by the Prometheus project's own Python client parser, when the machine has it. */
    @Test
    void shouldBeAcceptedByThePrometheusClientParser() throws Exception {
        Path python = Path.of("/usr/bin/python3");
        boolean required = Boolean.getBoolean("blitdb.requireBrowser");
        boolean present = Files.isExecutable(python) && new ProcessBuilder(python.toString(), "-c",
                "import prometheus_client.parser").start().waitFor() == 0;
        if (!present) {
            String why = "python3-prometheus-client is not installed (.ci/run installs it); the Python parser check "
                    + "is skipped";
            assertFalse(required, why);
            System.out.println(why);
            assumeTrue(false, why);
        }
        String body = scrape().body();
        Path file = data.resolve("scrape.txt");
        Files.writeString(file, body, StandardCharsets.UTF_8);
        Process p = new ProcessBuilder(python.toString(), "-c", """
                import sys
                from prometheus_client.parser import text_string_to_metric_families
                n = 0
                for family in text_string_to_metric_families(open(sys.argv[1]).read()):
                    n += len(family.samples)
                print(n)
                """, file.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertEquals(PrometheusText.parse(body).samples.size(), Integer.parseInt(out), "samples seen by both parsers");
    }

    /** server/API.md's metric table and the scrape name the same blitdb_ families, so the doc cannot drift. */
    @Test
    void shouldDocumentEveryMetricFamilyInApiMd() throws Exception {
        String api = Files.readString(Path.of(System.getProperty("user.dir")).resolve("API.md"));
        java.util.Set<String> documented = new java.util.TreeSet<>();
        var row = java.util.regex.Pattern.compile("(?m)^\\| `(blitdb_[a-z_]+)` \\|").matcher(api);
        while (row.find()) {
            documented.add(row.group(1));
        }
        PrometheusText m = PrometheusText.parse(scrape().body());
        java.util.Set<String> exposed = new java.util.TreeSet<>();
        m.types.keySet().stream().filter(n -> n.startsWith("blitdb_")).forEach(exposed::add);
        assertEquals(documented, exposed);
    }
}

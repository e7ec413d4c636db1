package dev.blitdb.server.http.indexes;

import dev.blitdb.server.BlitDbServer;
import dev.blitdb.server.config.ServerConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Index admin, stats (nice value checked against /proc), staleness, errors and queries over real HTTP. */
class IndexAndQueryRoutesTest {

    @TempDir
    Path data;
    private BlitDbServer server;
    private HttpClient http;

    private static final String BY_CITY = """
            {"Name":"Users/ByCity","Collection":"Users","Fields":{"City":{"Path":"Address.City","Type":"Keyword"},
            "Age":{"Path":"Age","Type":"Long"},"Tags":{"Path":"Tags[]","Type":"Keyword"},"Bio":{"Path":"Bio","Type":"Text"}},
            "Priority":"Normal"}""";

    @BeforeEach
    void start() throws Exception {
        server = BlitDbServer.start(new ServerConfig("127.0.0.1", 0, data, false));
        http = HttpClient.newHttpClient();
    }

    @AfterEach
    void stop() {
        http.close();
        server.close();
    }

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(server.url() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private void putUser(String id, String name, int age, String city, String bio) throws Exception {
        var r = send("PUT", "/databases/default/docs?id=" + id, "{\"Name\":\"" + name + "\",\"Age\":" + age
                + ",\"Address\":{\"City\":\"" + city + "\"},\"Tags\":[\"t1\"],\"Bio\":\"" + bio
                + "\",\"@metadata\":{\"@collection\":\"Users\"}}");
        assertEquals(201, r.statusCode(), r.body());
    }

    private HttpResponse<String> query(String rql, String parameters) throws Exception {
        String body = "{\"Query\":\"" + rql.replace("\"", "\\\"") + "\",\"WaitForNonStaleResults\":true"
                + (parameters == null ? "" : ",\"QueryParameters\":" + parameters) + "}";
        return send("POST", "/databases/default/queries", body);
    }

    private static int niceFromProc(int tid) throws Exception {
        String stat = Files.readString(Path.of("/proc/self/task/" + tid + "/stat"));
        return Integer.parseInt(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[16]);
    }

    private static int intField(String json, String field) {
        Matcher m = Pattern.compile("\"" + field + "\":(-?\\d+)").matcher(json);
        assertTrue(m.find(), field + " in " + json);
        return Integer.parseInt(m.group(1));
    }

    @Test
    void shouldDefineIndexesAndAnswerQueries() throws Exception {
        putUser("users/1", "Ann", 34, "Paris", "a database engine");
        putUser("users/2", "Bob", 25, "Oslo", "fast things");
        putUser("users/3", "Cid", 41, "Paris", "mapped memory engine");
        var created = send("PUT", "/databases/default/admin/indexes", BY_CITY);
        assertEquals(201, created.statusCode(), created.body());
        assertEquals("{\"Results\":[{\"Name\":\"Users/ByCity\",\"Outcome\":\"Created\"}]}", created.body());
        assertEquals(200, send("PUT", "/databases/default/admin/indexes", BY_CITY).statusCode(), "unchanged");

        var r = query("from index 'Users/ByCity' where City = $city order by Age desc", "{\"city\":\"Paris\"}");
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.body().startsWith("{\"Results\":[{\"Name\":\"Cid\""), r.body());
        assertTrue(r.body().contains("\"@id\":\"users/1\""), r.body());
        assertTrue(r.body().endsWith(",\"TotalResults\":2,\"SkippedResults\":0,\"IsStale\":false,"
                + "\"IndexName\":\"Users/ByCity\"" + r.body().substring(r.body().indexOf(",\"DurationInMs\""))),
                r.body());

        var search = query("from index 'Users/ByCity' where search(Bio, 'engine') select Name, Address.City as City, Tags[]",
                null);
        assertTrue(search.body().contains("{\"Name\":\"Ann\",\"City\":\"Paris\",\"Tags[]\":[\"t1\"],\"@metadata\":{\"@id\":\"users/1\"}}"),
                search.body());
        assertEquals(2, intField(search.body(), "TotalResults"));

        var auto = query("from Users where Age >= 30 order by Name", null);
        assertEquals(2, intField(auto.body(), "TotalResults"), auto.body());
        assertTrue(auto.body().contains("\"IndexName\":\"Auto/Users/ByAgeAndName\""), auto.body());

        var dbStats = send("GET", "/databases/default/stats", null);
        assertTrue(dbStats.body().contains("\"CountOfIndexes\":2"), dbStats.body());
        assertTrue(dbStats.body().contains("{\"Name\":\"Users/ByCity\",\"State\":\"Idle\",\"IsStale\":false,"
                + "\"Priority\":\"Normal\",\"Entries\":3,\"LastIndexedEtag\":3,\"ErrorsCount\":0}"), dbStats.body());

        var list = send("GET", "/databases/default/indexes", null);
        assertTrue(list.body().contains("\"Name\":\"Users/ByCity\""), list.body());
        var walk = send("GET", "/databases/default/queries?query=from%20Users%20limit%201", null);
        assertEquals(200, walk.statusCode(), walk.body());
        assertTrue(walk.body().contains("\"TotalResults\":3") && walk.body().contains("\"IndexName\":null"),
                walk.body());
    }

    @Test
    void shouldAnswerBadQueriesAndDefinitionsWithClearErrors() throws Exception {
        var syntax = query("from Users where Age >", null);
        assertEquals(400, syntax.statusCode());
        assertTrue(syntax.body().contains("\"Type\":\"InvalidQuery\""), syntax.body());
        assertTrue(syntax.body().contains("at line 1, column 23"), syntax.body());

        var unknownIndex = query("from index 'Nope'", null);
        assertEquals(404, unknownIndex.statusCode());
        assertTrue(unknownIndex.body().contains("\"Type\":\"IndexDoesNotExist\""), unknownIndex.body());

        var badType = send("PUT", "/databases/default/admin/indexes", BY_CITY.replace("\"Long\"", "\"Integer\""));
        assertEquals(400, badType.statusCode());
        assertTrue(badType.body().contains("field 'Age' has unknown type 'Integer'"), badType.body());
        var emptyPath = send("PUT", "/databases/default/admin/indexes", BY_CITY.replace("\"Path\":\"Age\"", "\"Path\":\"\""));
        assertTrue(emptyPath.body().contains("field 'Age' has an empty path"), emptyPath.body());
        var duplicate = send("PUT", "/databases/default/admin/indexes",
                BY_CITY.replace("\"Tags\":{\"Path\"", "\"City\":{\"Path\""));
        assertEquals(400, duplicate.statusCode());
        assertTrue(duplicate.body().contains("Duplicate field 'City'"), duplicate.body());
        var auto = send("PUT", "/databases/default/admin/indexes", BY_CITY.replace("Users/ByCity", "Auto/Mine"));
        assertEquals(400, auto.statusCode());

        assertEquals(201, send("PUT", "/databases/default/admin/indexes", BY_CITY).statusCode());
        var wrongField = query("from index 'Users/ByCity' where Nope = 1", null);
        assertEquals(400, wrongField.statusCode());
        assertTrue(wrongField.body().contains("has no field 'Nope'"), wrongField.body());
        var missingParam = query("from index 'Users/ByCity' where City = $c", null);
        assertTrue(missingParam.body().contains("parameter $c is used but not given"), missingParam.body());
        assertEquals(404, send("GET", "/databases/nope/indexes", null).statusCode());
    }

    @Test
    void shouldChangePriorityLiveAndShowTheNiceValueReadFromTheOs() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/task")), "needs Linux /proc");
        assertEquals(201, send("PUT", "/databases/default/admin/indexes", BY_CITY).statusCode());
        var stats = send("GET", "/databases/default/indexes/stats?name=Users/ByCity", null);
        assumeTrue(!stats.body().contains("\"EffectiveNice\":null"), "native access unavailable");
        assertEquals(5, intField(stats.body(), "EffectiveNice"), stats.body());
        assertTrue(stats.body().contains("\"ThreadName\":\"index/default/Users/ByCity\""), stats.body());
        int tid = intField(stats.body(), "ThreadId");
        assertEquals(5, niceFromProc(tid));

        var low = send("POST", "/databases/default/indexes/set-priority",
                "{\"IndexNames\":[\"Users/ByCity\"],\"Priority\":\"Low\"}");
        assertEquals(204, low.statusCode(), low.body());
        assertEquals(19, niceFromProc(tid));

        assertEquals(204, send("POST", "/databases/default/indexes/set-priority",
                "{\"IndexNames\":[\"users/bycity\"],\"Priority\":\"High\"}").statusCode());
        long deadline = System.currentTimeMillis() + 10_000;
        String body;
        do {
            body = send("GET", "/databases/default/indexes/stats", null).body();
        } while (!body.contains("\"EffectiveNice\":0") && System.currentTimeMillis() < deadline);
        assertEquals(0, intField(body, "EffectiveNice"), body);
        assertEquals(0, niceFromProc(intField(body, "ThreadId")));
        assertTrue(body.contains("\"Priority\":\"High\""), body);

        var unknown = send("POST", "/databases/default/indexes/set-priority",
                "{\"IndexNames\":[\"Nope\"],\"Priority\":\"High\"}");
        assertEquals(404, unknown.statusCode());
        var badPriority = send("POST", "/databases/default/indexes/set-priority",
                "{\"IndexNames\":[\"Users/ByCity\"],\"Priority\":\"Urgent\"}");
        assertEquals(400, badPriority.statusCode());
        assertTrue(badPriority.body().contains("unknown priority 'Urgent'"), badPriority.body());

        // the priority survives a restart
        server.close();
        server = BlitDbServer.start(new ServerConfig("127.0.0.1", 0, data, false));
        deadline = System.currentTimeMillis() + 10_000;
        do {
            body = send("GET", "/databases/default/indexes/stats", null).body();
        } while (body.contains("\"ThreadId\":null") && System.currentTimeMillis() < deadline);
        assertTrue(body.contains("\"Priority\":\"High\""), body);
        assertEquals(0, niceFromProc(intField(body, "ThreadId")));
    }

    @Test
    void shouldReportStalenessErrorsAndAdminActions() throws Exception {
        assertEquals(201, send("PUT", "/databases/default/admin/indexes", BY_CITY).statusCode());
        assertEquals(204, send("POST", "/databases/default/admin/indexes/stop?name=Users/ByCity", null).statusCode());
        putUser("users/1", "Ann", 34, "Paris", "x");
        var r = send("PUT", "/databases/default/docs?id=users/bad",
                "{\"Age\":\"old\",\"@metadata\":{\"@collection\":\"Users\"}}");
        assertEquals(201, r.statusCode());
        var staleness = send("GET", "/databases/default/indexes/staleness?name=Users/ByCity", null);
        assertTrue(staleness.body().contains("\"IsStale\":true"), staleness.body());
        assertTrue(staleness.body().contains("The index is paused"), staleness.body());
        assertTrue(staleness.body().contains("2 document(s) of collection 'Users' are not indexed yet"),
                staleness.body());
        var stale = send("POST", "/databases/default/queries",
                "{\"Query\":\"from index 'Users/ByCity'\",\"WaitForNonStaleResults\":true,"
                        + "\"WaitForNonStaleResultsTimeoutInMs\":200}");
        assertEquals(200, stale.statusCode());
        assertTrue(stale.body().contains("\"IsStale\":true"), stale.body());

        assertEquals(204, send("POST", "/databases/default/admin/indexes/start", null).statusCode());
        var fresh = query("from index 'Users/ByCity'", null);
        assertTrue(fresh.body().contains("\"IsStale\":false") && fresh.body().contains("\"TotalResults\":1"),
                fresh.body());
        var errors = send("GET", "/databases/default/indexes/errors?name=Users/ByCity", null);
        assertTrue(errors.body().contains("\"Document\":\"users/bad\""), errors.body());
        assertTrue(errors.body().contains("is Long but the document has the string 'old'"), errors.body());

        var reset = send("RESET", "/databases/default/indexes?name=Users/ByCity", null);
        assertEquals(202, reset.statusCode(), reset.body());
        assertTrue(reset.body().startsWith("{\"OperationId\":"), reset.body());
        assertTrue(query("from index 'Users/ByCity'", null).body().contains("\"TotalResults\":1"));
        assertEquals(204, send("DELETE", "/databases/default/indexes?name=Users/ByCity", null).statusCode());
        assertEquals(404, send("DELETE", "/databases/default/indexes?name=Users/ByCity", null).statusCode());
        assertEquals("{\"Results\":[]}", send("GET", "/databases/default/indexes", null).body());
    }
}

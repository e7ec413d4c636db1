package dev.blitdb.client;

import dev.blitdb.client.exceptions.BadRequestException;
import dev.blitdb.client.exceptions.IndexDoesNotExistException;
import dev.blitdb.client.operations.FieldType;
import dev.blitdb.client.operations.IndexDefinition;
import dev.blitdb.client.query.DocumentQuery;
import dev.blitdb.client.query.QueryStatistics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class QueryTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    static Path dir;
    static TestServer server;
    static DocumentStore store;

    @BeforeAll
    static void start() {
        server = new TestServer(dir);
        store = server.newStore();
        String[] cities = {"Oslo", "Paris", "Rome", null};
        try (var s = store.openSession()) {
            for (int i = 0; i < 40; i++) {
                User u = new User("N" + (char) ('a' + i % 26) + i, 18 + i % 23, cities[i % 4]);
                u.setTags(i % 3 == 0 ? List.of("x", "y") : List.of("z"));
                s.store(u, "users/" + i);
            }
            s.saveChanges();
        }
    }

    @AfterAll
    static void stop() {
        store.close();
        server.close();
    }

    private static List<String> ids(List<User> users) {
        return users.stream().map(User::getId).toList();
    }

    private static List<String> raw(String rql) {
        try (var s = store.openSession()) {
            List<String> ids = ids(s.rawQuery(User.class, rql).waitForNonStaleResults(WAIT).toList());
            assertFalse(ids.isEmpty(), "the data set is built so that every compared query matches: " + rql);
            return ids;
        }
    }

    @Test
    void shouldCompileToParameterizedRqlWithJsonNames() {
        try (var s = store.openSession()) {
            DocumentQuery<User> q = s.query(User.class).whereGreaterThanOrEqual("age", 30).andAlso()
                    .openSubclause().whereEquals("city", "O'Neil; drop").orElse().not().whereStartsWith("name", "Nb")
                    .closeSubclause().orderByDescending("age").orderBy("name").skip(2).take(5);
            assertEquals("from Users where age >= $p0 and (city = $p1 or not startsWith(name, $p2)) "
                    + "order by age desc, name limit 5 offset 2", q.toRql());
            assertEquals(List.of(30, "O'Neil; drop", "Nb"), List.copyOf(q.parameters().values()));
            assertEquals(0, s.numberOfRequests(), "building a query sends nothing");
        }
    }

    @Test
    void shouldMatchTheServersRqlForTheSameQuery() {
        try (var s = store.openSession()) {
            assertEquals(raw("from Users where age > 30 and city = 'Oslo'"),
                    ids(s.query(User.class).whereGreaterThan("age", 30).whereEquals("city", "Oslo")
                            .waitForNonStaleResults(WAIT).toList()));
            assertEquals(raw("from Users where city != 'Oslo' order by age desc, name"),
                    ids(s.query(User.class).whereNotEquals("city", "Oslo").orderByDescending("age").orderBy("name")
                            .waitForNonStaleResults(WAIT).toList()));
            assertEquals(raw("from Users where age between 20 and 25 or city in ('Rome', 'Paris') limit 7 offset 3"),
                    ids(s.query(User.class).whereBetween("age", 20, 25).orElse()
                            .whereIn("city", List.of("Rome", "Paris")).skip(3).take(7)
                            .waitForNonStaleResults(WAIT).toList()));
            assertEquals(raw("from Users where not exists(city) or startsWith(name, 'Nc')"),
                    ids(s.query(User.class).not().whereExists("city").orElse().whereStartsWith("name", "Nc")
                            .waitForNonStaleResults(WAIT).toList()));
            assertEquals(raw("from Users where tags[] = 'x' and age <= 30 order by age"),
                    ids(s.query(User.class).whereEquals("tags[]", "x").whereLessThanOrEqual("age", 30)
                            .orderBy("age").waitForNonStaleResults(WAIT).toList()));
            assertEquals(raw("from Users where city = null"),
                    ids(s.query(User.class).whereEquals("city", null).waitForNonStaleResults(WAIT).toList()));
        }
    }

    @Test
    void shouldFillStatisticsCountAndFirst() {
        try (var s = store.openSession()) {
            QueryStatistics stats = new QueryStatistics();
            List<User> page = s.query(User.class).whereLessThan("age", 25).orderBy("age").take(3)
                    .statistics(stats).waitForNonStaleResults(WAIT).toList();
            assertEquals(3, page.size());
            long expected = raw("from Users where age < 25").size();
            assertEquals(expected, stats.totalResults());
            assertFalse(stats.isStale());
            assertTrue(stats.indexName().startsWith("Auto/Users/"), stats.indexName());
            assertEquals(expected, s.query(User.class).whereLessThan("age", 25).waitForNonStaleResults(WAIT).count());
            assertEquals(18, s.query(User.class).orderBy("age").waitForNonStaleResults(WAIT).first().getAge());
            assertNull(s.query(User.class).whereEquals("name", "nobody").waitForNonStaleResults(WAIT).firstOrNull());
            assertThrows(java.util.NoSuchElementException.class,
                    () -> s.query(User.class).whereEquals("name", "nobody").first());
        }
    }

    @Test
    void shouldProjectFieldsWithoutTracking() {
        try (var s = store.openSession()) {
            List<NameAndCity> rows = s.query(User.class).whereEquals("city", "Paris").orderBy("name")
                    .selectFields(NameAndCity.class).waitForNonStaleResults(WAIT).toList();
            List<String> expected = raw("from Users where city = 'Paris' order by name");
            assertEquals(expected, rows.stream().map(r -> r.id).toList());
            assertTrue(rows.stream().allMatch(r -> "Paris".equals(r.city) && r.name.startsWith("N")));
            assertFalse(s.advanced().isLoaded(rows.get(0).id), "projections are not tracked");
            List<NameAndCity> names = s.query(User.class).whereEquals("city", "Paris").orderBy("name")
                    .selectFields(NameAndCity.class, "name").waitForNonStaleResults(WAIT).toList();
            assertNull(names.get(0).city);
            assertEquals(rows.get(0).name, names.get(0).name);
        }
    }

    @Test
    void shouldQueryANamedIndexWithSearch() {
        store.maintenance().putIndexes(IndexDefinition.builder("Users/ByCityAndName").collection("Users")
                .field("City", "city", FieldType.KEYWORD).field("Words", "name", FieldType.TEXT).build());
        try (var s = store.openSession()) {
            List<User> inRome = s.query(User.class, "Users/ByCityAndName").whereEquals("City", "Rome")
                    .waitForNonStaleResults(WAIT).toList();
            assertEquals(raw("from Users where city = 'Rome'"), ids(inRome));
            List<User> found = s.query(User.class, "Users/ByCityAndName").search("Words", "Nc2 nothing")
                    .waitForNonStaleResults(WAIT).toList();
            assertEquals(List.of("users/2"), ids(found));
            QueryStatistics stats = new QueryStatistics();
            s.rawQuery(User.class, "from index 'Users/ByCityAndName' where City = $c").addParameter("c", "Oslo")
                    .statistics(stats).waitForNonStaleResults(WAIT).toList();
            assertEquals("Users/ByCityAndName", stats.indexName());
            assertThrows(IndexDoesNotExistException.class,
                    () -> s.query(User.class, "No/Such").whereEquals("City", "x").toList());
        }
    }

    @Test
    void shouldReportBadQueriesAsBadRequests() {
        try (var s = store.openSession()) {
            var e = assertThrows(BadRequestException.class, () -> s.rawQuery(User.class, "from Users where").toList());
            assertEquals("InvalidQuery", e.type());
            assertThrows(IllegalStateException.class, () -> s.query(User.class).whereEquals("age", 1).orElse().toList());
            assertThrows(IllegalStateException.class, () -> s.query(User.class).openSubclause()
                    .whereEquals("age", 1).toList());
        }
    }
}

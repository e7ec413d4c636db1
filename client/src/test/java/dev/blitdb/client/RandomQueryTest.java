package dev.blitdb.client;

import dev.blitdb.client.query.DocumentQuery;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Random;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Random typed queries against a brute-force evaluation in Java of the server's documented semantics
 * (indexing/README.md): {@code !=} matches documents without the value, strings compare case-sensitively,
 * results without {@code order by} come in id order (lowercased).
 */
class RandomQueryTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String[] CITIES = {"Oslo", "Paris", "Rome", "oslo", null};
    private static final long SEED = Long.getLong("blitdb.test.seed", System.nanoTime());

    @TempDir
    static Path dir;
    static TestServer server;
    static DocumentStore store;
    static final List<User> data = new ArrayList<>();

    @BeforeAll
    static void start() {
        server = new TestServer(dir);
        store = server.newStore();
        Random random = new Random(42);
        try (var s = store.openSession()) {
            for (int i = 0; i < 150; i++) {
                User u = new User("name" + random.nextInt(30), random.nextInt(60), CITIES[random.nextInt(5)]);
                s.store(u, String.format(Locale.ROOT, "users/%03d", i));
                data.add(u);
            }
            s.saveChanges();
        }
    }

    @AfterAll
    static void stop() {
        store.close();
        server.close();
    }

    /** One random condition, applied both to the typed query and to a Java predicate. */
    private record Condition(java.util.function.Consumer<DocumentQuery<User>> apply, Predicate<User> test,
                             String describe) {
    }

    private static Condition condition(Random r) {
        int age = r.nextInt(60);
        String city = CITIES[r.nextInt(5)];
        String prefix = "name" + r.nextInt(4);
        return switch (r.nextInt(8)) {
            case 0 -> new Condition(q -> q.whereEquals("age", age), u -> u.getAge() == age, "age = " + age);
            case 1 -> new Condition(q -> q.whereGreaterThan("age", age), u -> u.getAge() > age, "age > " + age);
            case 2 -> new Condition(q -> q.whereLessThanOrEqual("age", age), u -> u.getAge() <= age, "age <= " + age);
            case 3 -> new Condition(q -> q.whereBetween("age", age, age + 10),
                    u -> u.getAge() >= age && u.getAge() <= age + 10, "age between " + age);
            case 4 -> new Condition(q -> q.whereEquals("city", city), u -> Objects.equals(u.getCity(), city),
                    "city = " + city);
            case 5 -> new Condition(q -> q.whereNotEquals("city", city == null ? "Oslo" : city),
                    u -> !Objects.equals(u.getCity(), city == null ? "Oslo" : city), "city != " + city);
            case 6 -> new Condition(q -> q.whereStartsWith("name", prefix), u -> u.getName().startsWith(prefix),
                    "startsWith " + prefix);
            default -> new Condition(q -> q.whereIn("city", List.of("Rome", "oslo")),
                    u -> "Rome".equals(u.getCity()) || "oslo".equals(u.getCity()), "city in (Rome, oslo)");
        };
    }

    @Test
    void shouldAgreeWithABruteForceEvaluationOnRandomQueries() {
        Random r = new Random(SEED);
        for (int round = 0; round < 25; round++) {
            Condition a = condition(r);
            Condition b = condition(r);
            Condition c = condition(r);
            int shape = r.nextInt(4);
            Predicate<User> expected = switch (shape) {
                case 0 -> a.test().and(b.test());
                case 1 -> a.test().or(b.test());
                case 2 -> a.test().and(b.test().or(c.test()).negate());
                default -> a.test().negate().or(b.test().and(c.test()));
            };
            try (var s = store.openSession()) {
                DocumentQuery<User> q = s.query(User.class);
                switch (shape) {
                    case 0 -> {
                        a.apply().accept(q);
                        b.apply().accept(q);
                    }
                    case 1 -> {
                        a.apply().accept(q);
                        q.orElse();
                        b.apply().accept(q);
                    }
                    case 2 -> {
                        a.apply().accept(q);
                        q.andAlso().not().openSubclause();
                        b.apply().accept(q);
                        q.orElse();
                        c.apply().accept(q);
                        q.closeSubclause();
                    }
                    default -> {
                        q.not();
                        a.apply().accept(q);
                        q.orElse().openSubclause();
                        b.apply().accept(q);
                        c.apply().accept(q);
                        q.closeSubclause();
                    }
                }
                List<String> actual = q.waitForNonStaleResults(WAIT).toList().stream().map(User::getId).toList();
                List<String> want = data.stream().filter(expected)
                        .sorted(Comparator.comparing(u -> u.getId().toLowerCase(Locale.ROOT)))
                        .map(User::getId).toList();
                assertEquals(want, actual, "seed " + SEED + " round " + round + ": " + q.toRql() + " with "
                        + q.parameters() + " [" + a.describe() + "; " + b.describe() + "; " + c.describe() + "]");
            }
        }
    }
}

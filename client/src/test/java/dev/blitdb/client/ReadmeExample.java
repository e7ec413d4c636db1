package dev.blitdb.client;

import dev.blitdb.client.DocumentStore;
import dev.blitdb.client.exceptions.ConcurrencyException;
import dev.blitdb.client.operations.FieldType;
import dev.blitdb.client.operations.IndexDefinition;
import dev.blitdb.client.operations.IndexPriority;
import dev.blitdb.client.query.QueryStatistics;
import dev.blitdb.client.session.SessionOptions;

import java.time.Duration;
import java.util.List;

public class ReadmeExample {

    public static class User {
        public String id;          // the document id: filled from @metadata.@id, not stored in the JSON
        public String name;
        public int age;

        public User() {
        }

        public User(String name, int age) {
            this.name = name;
            this.age = age;
        }
    }

    public static void main(String[] args) {
        run(args.length > 0 ? args[0] : "http://127.0.0.1:8080");
    }

    public static void run(String url) {
        try (var store = new DocumentStore(url, "shop")) {
            store.maintenance().server().createDatabaseIfMissing("shop");

            String id;
            try (var session = store.openSession()) {
                User ann = new User("Ann", 34);
                session.store(ann);                       // id from a hi-lo range: "users/1"
                session.saveChanges();                    // one bulk_docs request
                id = ann.id;
            }

            try (var session = store.openSession(SessionOptions.defaults().withOptimisticConcurrency(true))) {
                User ann = session.load(User.class, id);
                ann.age++;                                // tracked: only changed documents are sent
                session.saveChanges();                    // fails with ConcurrencyException if someone else won

                QueryStatistics stats = new QueryStatistics();
                List<User> adults = session.query(User.class)
                        .whereGreaterThanOrEqual("age", 18)   // compiled to "age >= $p0"
                        .orderBy("name")
                        .take(20)
                        .statistics(stats)
                        .waitForNonStaleResults(Duration.ofSeconds(10))
                        .toList();
                System.out.println(adults.size() + " of " + stats.totalResults() + " adults, from "
                        + stats.indexName());
            } catch (ConcurrencyException e) {
                System.out.println(e.id() + " changed meanwhile: " + e.actualChangeVector());
            }

            store.maintenance().putIndexes(IndexDefinition.builder("Users/ByName").collection("Users")
                    .field("Name", "name", FieldType.KEYWORD)
                    .build());
            store.maintenance().setIndexPriority("Users/ByName", IndexPriority.HIGH);

            try (var bulk = store.bulkInsert()) {           // one streamed request, committed in large batches
                for (int i = 0; i < 10_000; i++) {
                    bulk.store(new User("user" + i, i % 90));
                }
            }
        }
    }
}

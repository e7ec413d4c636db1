package dev.blitdb.client;

import dev.blitdb.client.exceptions.BadRequestException;
import dev.blitdb.client.exceptions.IndexDoesNotExistException;
import dev.blitdb.client.exceptions.ServerErrorException;
import dev.blitdb.client.operations.DatabaseInfo;
import dev.blitdb.client.operations.FieldType;
import dev.blitdb.client.operations.IndexDefinition;
import dev.blitdb.client.operations.IndexPriority;
import dev.blitdb.client.operations.IndexStats;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MaintenanceTest extends ServerTestBase {

    private static IndexDefinition byCity(IndexPriority priority) {
        return IndexDefinition.builder("Users/ByCity").collection("Users")
                .field("City", "city", FieldType.KEYWORD).field("Age", "age", FieldType.LONG)
                .field("Tags", "tags[]", FieldType.KEYWORD).priority(priority).build();
    }

    @Test
    void shouldManageIndexesThroughTheirLifecycle() throws Exception {
        try (var store = server.newStore()) {
            try (var s = store.openSession()) {
                s.store(new User("Ann", 30, "Oslo"));
                s.store(new User("Bob", 40, "Rome"));
                s.saveChanges();
            }
            var ops = store.maintenance();
            assertEquals("Created", ops.putIndexes(byCity(IndexPriority.NORMAL)).get(0).outcome());
            assertEquals("Unchanged", ops.putIndexes(byCity(IndexPriority.NORMAL)).get(0).outcome());
            assertEquals("PriorityChanged", ops.putIndexes(byCity(IndexPriority.LOW)).get(0).outcome());
            assertEquals(byCity(IndexPriority.LOW), ops.getIndex("Users/ByCity"));
            assertTrue(ops.getIndexes().contains(byCity(IndexPriority.LOW)));

            ops.setIndexPriority("Users/ByCity", IndexPriority.HIGH);
            IndexStats stats = ops.getIndexStats("Users/ByCity");
            assertEquals(IndexPriority.HIGH, stats.priority());
            assertEquals(0, stats.requestedNice());
            try (var s = store.openSession()) {
                assertEquals(1, s.query(User.class, "Users/ByCity").whereEquals("City", "Rome")
                        .waitForNonStaleResults(Duration.ofSeconds(30)).toList().size());
            }
            assertEquals(2, ops.getIndexStats("Users/ByCity").entries());
            assertFalse(ops.getIndexStaleness("Users/ByCity").stale());

            ops.stopIndex("Users/ByCity");
            try (var s = store.openSession()) {
                s.store(new User("Cid", 50, "Rome"));
                s.saveChanges();
            }
            var staleness = ops.getIndexStaleness("Users/ByCity");
            assertTrue(staleness.stale(), staleness.toString());
            assertFalse(staleness.reasons().isEmpty());
            ops.startIndex("Users/ByCity");
            ops.stopIndexing();
            ops.startIndexing();
            ops.resetIndex("Users/ByCity");
            try (var s = store.openSession()) {
                assertEquals(2, s.query(User.class, "Users/ByCity").whereEquals("City", "Rome")
                        .waitForNonStaleResults(Duration.ofSeconds(30)).toList().size());
            }
            assertTrue(ops.getIndexErrors().stream().anyMatch(e -> e.name().equals("Users/ByCity")));
            assertEquals(0, ops.getIndexErrors().stream().filter(e -> e.name().equals("Users/ByCity"))
                    .findFirst().orElseThrow().total());

            ops.deleteIndex("Users/ByCity");
            assertThrows(IndexDoesNotExistException.class, () -> ops.getIndexStats("Users/ByCity"));
            assertThrows(IndexDoesNotExistException.class, () -> ops.deleteIndex("Users/ByCity"));
            var bad = assertThrows(BadRequestException.class, () -> ops.putIndexes(IndexDefinition
                    .builder("Bad").collection("Users").field("X", "a..b", FieldType.KEYWORD).build()));
            assertEquals("InvalidIndexDefinition", bad.type());

            var db = ops.getDatabaseStatistics();
            assertEquals(store.database(), db.database());
            assertEquals(3, db.countOfDocuments());
        }
    }

    @Test
    void shouldRecordIndexErrorsForDocumentsOfTheWrongShape() {
        try (var store = server.newStore()) {
            try (var s = store.openSession()) {
                s.store(new User("Ann", 30, "Oslo"), "users/ann");
                s.saveChanges();
            }
            var ops = store.maintenance();
            ops.putIndexes(IndexDefinition.builder("Users/NameAsNumber").collection("Users")
                    .field("Name", "name", FieldType.LONG).build());
            try (var s = store.openSession()) {
                s.rawQuery(User.class, "from index 'Users/NameAsNumber'")
                        .waitForNonStaleResults(Duration.ofSeconds(30)).toList();
            }
            var errors = ops.getIndexErrors().stream().filter(e -> e.name().equals("Users/NameAsNumber"))
                    .findFirst().orElseThrow();
            assertEquals(1, errors.total());
            assertEquals("users/ann", errors.errors().get(0).document());
        }
    }

    @Test
    void shouldCreateListAndDropDatabases() {
        try (var store = new DocumentStore(server.url(), "ops-db")) {
            var serverOps = store.maintenance().server();
            DatabaseInfo created = serverOps.createDatabase("ops-db");
            assertEquals("ops-db", created.name());
            assertFalse(serverOps.createDatabaseIfMissing("ops-db"));
            var e = assertThrows(ServerErrorException.class, () -> serverOps.createDatabase("ops-db"));
            assertEquals(409, e.status());
            List<String> names = serverOps.getDatabases().stream().map(DatabaseInfo::name).toList();
            assertTrue(names.contains("ops-db"), names.toString());
            serverOps.deleteDatabase("ops-db");
            assertFalse(serverOps.getDatabases().stream().anyMatch(d -> d.name().equals("ops-db")));
            assertThrows(dev.blitdb.client.exceptions.DatabaseDoesNotExistException.class,
                    () -> store.maintenance().getDatabaseStatistics());
        }
    }
}

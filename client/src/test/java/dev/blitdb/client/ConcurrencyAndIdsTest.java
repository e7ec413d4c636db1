package dev.blitdb.client;

import dev.blitdb.client.exceptions.ConcurrencyException;
import dev.blitdb.client.session.SessionOptions;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConcurrencyAndIdsTest extends ServerTestBase {

    @Test
    void shouldLetOneOfTwoRacingSessionsWinAndTellTheOtherBothChangeVectors() {
        try (var store = server.newStore()) {
            try (var s = store.openSession()) {
                s.store(new User("Ann", 30), "users/ann");
                s.saveChanges();
            }
            var options = SessionOptions.defaults().withOptimisticConcurrency(true);
            try (var first = store.openSession(options); var second = store.openSession(options)) {
                User a = first.load(User.class, "users/ann");
                User b = second.load(User.class, "users/ann");
                String seen = second.advanced().getChangeVectorFor(b);
                a.setAge(31);
                b.setAge(32);
                first.saveChanges();
                String winner = first.advanced().getChangeVectorFor(a);
                var e = assertThrows(ConcurrencyException.class, second::saveChanges);
                assertEquals("users/ann", e.id());
                assertEquals(seen, e.expectedChangeVector());
                assertEquals(winner, e.actualChangeVector());
                assertNotEquals(e.expectedChangeVector(), e.actualChangeVector());
                assertEquals(seen, second.advanced().getChangeVectorFor(b), "a failed save changes nothing");
            }
            try (var s = store.openSession()) {
                assertEquals(31, s.load(User.class, "users/ann").getAge());
            }
        }
    }

    @Test
    void shouldLetLastWriteWinWithoutOptimisticConcurrency() {
        try (var store = server.newStore()) {
            try (var s = store.openSession()) {
                s.store(new User("Ann", 30), "users/ann");
                s.saveChanges();
            }
            try (var first = store.openSession(); var second = store.openSession()) {
                first.load(User.class, "users/ann").setAge(31);
                second.load(User.class, "users/ann").setAge(32);
                first.saveChanges();
                second.saveChanges();
            }
            try (var s = store.openSession()) {
                assertEquals(32, s.load(User.class, "users/ann").getAge());
            }
        }
    }

    @Test
    void shouldApplyStoreWideOptimisticConcurrencyToNewDocumentsAndDeletes() {
        try (var store = server.newStore()) {
            store.conventions().useOptimisticConcurrency(true);
            try (var s = store.openSession()) {
                s.store(new User("Ann", 30), "users/ann");
                s.saveChanges();
            }
            try (var s = store.openSession()) {
                s.store(new User("Impostor", 1), "users/ann"); // new entity, existing id: must not overwrite
                var e = assertThrows(ConcurrencyException.class, s::saveChanges);
                assertEquals("", e.expectedChangeVector());
                assertNotNull(e.actualChangeVector());
            }
            try (var s1 = store.openSession(); var s2 = store.openSession()) {
                User u1 = s1.load(User.class, "users/ann");
                User u2 = s2.load(User.class, "users/ann");
                u1.setAge(50);
                s1.saveChanges();
                s2.delete(u2);
                assertThrows(ConcurrencyException.class, s2::saveChanges);
            }
            try (var s = store.openSession()) {
                assertEquals(50, s.load(User.class, "users/ann").getAge());
            }
            // An explicit change vector is honoured even in a session with optimistic concurrency off.
            try (var s = store.openSession(SessionOptions.defaults().withOptimisticConcurrency(false))) {
                s.store(new User("Fresh", 1), "", "users/fresh");
                s.saveChanges();
            }
            try (var s = store.openSession(SessionOptions.defaults().withOptimisticConcurrency(false))) {
                s.store(new User("Again", 1), "", "users/fresh");
                assertThrows(ConcurrencyException.class, s::saveChanges);
                assertNull(s.load(User.class, "users/nothing"));
            }
        }
    }

    @Test
    void shouldGenerateUniqueIdsAcrossThreadsSessionsAndAServerRestart() throws Exception {
        Set<String> ids = ConcurrentHashMap.newKeySet();
        String database;
        try (var store = server.newStore()) {
            database = store.database();
            ExecutorService pool = Executors.newFixedThreadPool(8);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<List<String>>> futures = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                futures.add(pool.submit(() -> {
                    go.await();
                    List<String> mine = new ArrayList<>();
                    for (int round = 0; round < 5; round++) {
                        try (var s = store.openSession()) {
                            for (int i = 0; i < 40; i++) {
                                User u = new User("T", i);
                                s.store(u);
                                mine.add(u.getId());
                            }
                            s.saveChanges();
                        }
                    }
                    return mine;
                }));
            }
            go.countDown();
            for (var f : futures) {
                for (String id : f.get()) {
                    assertTrue(ids.add(id), "id handed out twice: " + id);
                }
            }
            pool.shutdown();
            assertEquals(8 * 5 * 40, ids.size());
            // A second store in the same process (another application instance) shares no ranges.
            try (var other = new DocumentStore(server.url(), database); var s = other.openSession()) {
                for (int i = 0; i < 50; i++) {
                    User u = new User("O", i);
                    s.store(u);
                    assertTrue(ids.add(u.getId()), "second store repeated " + u.getId());
                }
                s.saveChanges();
            }
        }
        server.restart();
        try (var store = new DocumentStore(server.url(), database); var s = store.openSession()) {
            for (int i = 0; i < 100; i++) {
                User u = new User("R", i);
                s.store(u);
                assertTrue(ids.add(u.getId()), "after restart repeated " + u.getId());
            }
            s.saveChanges();
            assertEquals(8 * 5 * 40 + 150, store.maintenance().getDatabaseStatistics().countOfDocuments());
        }
        Set<String> prefixes = new HashSet<>();
        ids.forEach(id -> prefixes.add(id.substring(0, id.indexOf('/') + 1)));
        assertEquals(Set.of("users/"), prefixes);
    }
}

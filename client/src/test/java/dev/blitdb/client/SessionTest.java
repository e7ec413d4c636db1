package dev.blitdb.client;

import dev.blitdb.client.exceptions.DatabaseDoesNotExistException;
import dev.blitdb.client.exceptions.TooManyRequestsInSessionException;
import dev.blitdb.client.session.SessionOptions;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SessionTest extends ServerTestBase {

    @Test
    void shouldAssignHiLoIdAndKeepIdOutOfTheStoredJson() throws Exception {
        try (var store = server.newStore()) {
            User ann = new User("Ann", 34);
            try (var s = store.openSession()) {
                s.store(ann);
                assertEquals("users/1", ann.getId());
                s.saveChanges();
            }
            // What the server holds: no "id" property, the collection in @metadata.
            var raw = store.requestExecutor().execute(dev.blitdb.client.http.HttpCall.get(
                    "/databases/" + store.database() + "/docs?id=users/1"));
            var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(raw.body());
            assertFalse(json.has("id"), json.toString());
            assertEquals("Ann", json.get("name").asText());
            assertEquals("Users", json.get("@metadata").get("@collection").asText());
            try (var s = store.openSession()) {
                User loaded = s.load(User.class, "users/1");
                assertEquals("users/1", loaded.getId());
                assertEquals(34, loaded.getAge());
            }
        }
    }

    @Test
    void shouldReturnTheSameInstanceForTheSameIdWithinASession() {
        try (var store = server.newStore()) {
            try (var s = store.openSession()) {
                s.store(new User("Bob", 40), "users/bob");
                s.saveChanges();
            }
            try (var s = store.openSession()) {
                User a = s.load(User.class, "users/bob");
                long before = store.requestExecutor().requestCount();
                User b = s.load(User.class, "USERS/BOB"); // ids are case-insensitive
                assertSame(a, b);
                assertEquals(before, store.requestExecutor().requestCount(), "second load must not send a request");
                User q = s.query(User.class).whereEquals("name", "Bob").waitForNonStaleResults(
                        java.time.Duration.ofSeconds(10)).first();
                assertSame(a, q, "a query result joins the identity map");
            }
            try (var s1 = store.openSession(); var s2 = store.openSession()) {
                assertNotNull(s1.load(User.class, "users/bob"));
                assertTrue(s1.load(User.class, "users/bob") != s2.load(User.class, "users/bob"),
                        "different sessions get different instances");
            }
        }
    }

    @Test
    void shouldSendNothingWhenNothingChangedAndOnlyChangedDocumentsOtherwise() {
        try (var store = server.newStore()) {
            try (var s = store.openSession()) {
                for (int i = 0; i < 3; i++) {
                    s.store(new User("U" + i, 20 + i), "users/" + i);
                }
                s.saveChanges();
                long before = store.requestExecutor().requestCount();
                s.saveChanges();
                assertEquals(before, store.requestExecutor().requestCount(), "nothing changed: no request");
            }
            try (var s = store.openSession()) {
                Map<String, User> users = s.load(User.class, "users/0", "users/1", "users/2");
                assertEquals(1, s.numberOfRequests(), "several ids load in one request");
                String cv0 = s.advanced().getChangeVectorFor(users.get("users/0"));
                String cv1 = s.advanced().getChangeVectorFor(users.get("users/1"));
                assertFalse(s.hasChanges());
                long before = store.requestExecutor().requestCount();
                s.saveChanges();
                assertEquals(before, store.requestExecutor().requestCount(), "loaded, unchanged: no request");
                users.get("users/1").setAge(99);
                assertTrue(s.hasChanges());
                s.saveChanges();
                assertEquals(before + 1, store.requestExecutor().requestCount(), "one bulk_docs request");
                assertEquals(cv0, s.advanced().getChangeVectorFor(users.get("users/0")), "unchanged not resent");
                assertNotEquals(cv1, s.advanced().getChangeVectorFor(users.get("users/1")));
            }
            try (var s = store.openSession()) {
                assertEquals(99, s.load(User.class, "users/1").getAge());
                assertEquals(20, s.load(User.class, "users/0").getAge());
            }
        }
    }

    @Test
    void shouldLoadManyWithMissingOnesAsNull() {
        try (var store = server.newStore()) {
            try (var s = store.openSession()) {
                s.store(new User("A", 1), "users/a");
                s.saveChanges();
            }
            try (var s = store.openSession()) {
                Map<String, User> m = s.load(User.class, List.of("users/a", "users/missing"));
                assertEquals(List.of("users/a", "users/missing"), List.copyOf(m.keySet()));
                assertEquals("A", m.get("users/a").getName());
                assertNull(m.get("users/missing"));
                assertNull(s.load(User.class, "users/missing"));
                assertEquals(1, s.numberOfRequests(), "a known-missing id costs no second request");
                assertNull(s.load(User.class, "users/other"));
            }
        }
    }

    @Test
    void shouldDeleteByEntityAndById() {
        try (var store = server.newStore()) {
            try (var s = store.openSession()) {
                s.store(new User("A", 1), "users/a");
                s.store(new User("B", 2), "users/b");
                s.saveChanges();
            }
            try (var s = store.openSession()) {
                s.delete(s.load(User.class, "users/a"));
                s.delete("users/b");
                s.saveChanges();
                assertNull(s.load(User.class, "users/a"));
            }
            try (var s = store.openSession()) {
                assertNull(s.load(User.class, "users/a"));
                assertNull(s.load(User.class, "users/b"));
                assertFalse(s.advanced().exists("users/a"));
            }
        }
    }

    @Test
    void shouldExposeMetadataExistsPagingRefreshAndEvict() {
        try (var store = server.newStore()) {
            try (var s = store.openSession()) {
                for (int i = 1; i <= 5; i++) {
                    s.store(new User("U" + i, i), "people/" + i);
                }
                s.store(new User("X", 0), "other/1");
                s.saveChanges();
                User u = s.load(User.class, "people/1");
                Map<String, Object> meta = s.advanced().getMetadataFor(u);
                assertEquals("people/1", meta.get("@id"));
                assertEquals("Users", meta.get("@collection"));
                assertEquals(s.advanced().getChangeVectorFor(u), meta.get("@change-vector"));
            }
            try (var s = store.openSession()) {
                assertTrue(s.advanced().exists("people/3"));
                assertFalse(s.advanced().exists("people/9"));
                List<User> page = s.advanced().loadStartingWith(User.class, "people/", 1, 3);
                assertEquals(List.of("people/2", "people/3", "people/4"), page.stream().map(User::getId).toList());
                User p2 = s.load(User.class, "people/2");
                assertSame(page.get(0), p2);

                try (var other = store.openSession()) {
                    other.load(User.class, "people/2").setName("Changed elsewhere");
                    other.saveChanges();
                }
                p2.setAge(1000); // unsaved change, discarded by refresh
                s.advanced().refresh(p2);
                assertEquals("Changed elsewhere", p2.getName());
                assertEquals(2, p2.getAge());
                assertFalse(s.hasChanges());

                s.advanced().evict(p2);
                User again = s.load(User.class, "people/2");
                assertTrue(again != p2, "an evicted entity is loaded as a new instance");
            }
        }
    }

    @Test
    void shouldRefuseRequestsBeyondTheSessionBudget() {
        try (var store = server.newStore()) {
            try (var s = store.openSession(SessionOptions.defaults().withMaxRequests(3))) {
                s.load(User.class, "users/1");
                s.load(User.class, "users/2");
                s.load(User.class, "users/3");
                var e = assertThrows(TooManyRequestsInSessionException.class, () -> s.load(User.class, "users/4"));
                assertTrue(e.getMessage().contains("maximum of 3 requests"), e.getMessage());
            }
            try (var s = store.openSession()) {
                for (int i = 0; i < 30; i++) {
                    s.load(User.class, "users/x" + i);
                }
                assertThrows(TooManyRequestsInSessionException.class, () -> s.load(User.class, "users/y"));
            }
        }
    }

    @Test
    void shouldThrowDatabaseDoesNotExist() {
        try (var store = new DocumentStore(server.url(), "no-such-database")) {
            try (var s = store.openSession()) {
                var e = assertThrows(DatabaseDoesNotExistException.class, () -> s.load(User.class, "users/1"));
                assertTrue(e.getMessage().contains("no-such-database"), e.getMessage());
            }
        }
    }

    @Test
    void shouldReplaceADocumentStoredAfterDeleteInOneSession() {
        try (var store = server.newStore()) {
            try (var s = store.openSession()) {
                s.store(new User("Old", 1), "users/r");
                s.saveChanges();
            }
            try (var s = store.openSession()) {
                s.delete(s.load(User.class, "users/r"));
                s.store(new User("New", 2), "users/r");
                s.saveChanges();
            }
            try (var s = store.openSession()) {
                assertEquals("New", s.load(User.class, "users/r").getName());
            }
        }
    }
}

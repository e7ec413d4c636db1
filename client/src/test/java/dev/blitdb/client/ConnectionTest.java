package dev.blitdb.client;

import dev.blitdb.client.exceptions.BlitDbException;
import dev.blitdb.client.exceptions.ServiceUnavailableException;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConnectionTest extends ServerTestBase {

    private static String deadUrl() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return "http://127.0.0.1:" + s.getLocalPort(); // nothing listens once closed
        }
    }

    @Test
    void shouldRetryIdempotentRequestsOnceWhenTheConnectionDrops() throws Exception {
        String database;
        try (var store = server.newStore(); var s = store.openSession()) {
            database = store.database();
            s.store(new User("Ann", 30), "users/ann");
            s.saveChanges();
        }
        try (var proxy = new DroppingProxy(server.url()); var store = new DocumentStore(proxy.url(), database)) {
            // A query is a POST, which java.net.http never retries by itself: the retry here is the executor's.
            proxy.dropNext(1);
            long before = store.requestExecutor().requestCount();
            try (var s = store.openSession()) {
                assertEquals("Ann", s.rawQuery(User.class, "from Users").first().getName());
                assertEquals(1, s.numberOfRequests(), "the retry is the executor's, not a second session request");
            }
            assertEquals(1, proxy.dropped.get());
            assertEquals(before + 2, store.requestExecutor().requestCount(), "sent twice: dropped, then answered");

            proxy.dropNext(2);
            try (var s = store.openSession()) {
                var e = assertThrows(BlitDbException.class, () -> s.rawQuery(User.class, "from Users").toList());
                assertTrue(e.getMessage().contains("twice"), e.getMessage());
            }

            // GETs survive a dropped connection too (java.net.http itself retries those once, then the executor).
            proxy.dropNext(1);
            try (var s = store.openSession()) {
                assertEquals("Ann", s.load(User.class, "users/ann").getName());
            }

            proxy.dropNext(1);
            try (var s = store.openSession()) {
                s.store(new User("Bob", 40), "users/bob");
                var e = assertThrows(BlitDbException.class, s::saveChanges);
                assertTrue(e.getMessage().contains("not retried"), e.getMessage());
            }
            try (var s = store.openSession()) {
                assertNull(s.load(User.class, "users/bob"), "the dropped bulk_docs never reached the server");
            }
        }
    }

    @Test
    void shouldUseTheFirstUrlThatAnswers() throws Exception {
        String database;
        try (var store = server.newStore()) {
            database = store.database();
        }
        try (var store = new DocumentStore(List.of(deadUrl(), server.url()), database)) {
            try (var s = store.openSession()) {
                s.store(new User("Cy", 20), "users/cy");
                s.saveChanges();
            }
            assertEquals(server.url(), store.requestExecutor().currentUrl());
            try (var s = store.openSession()) {
                assertNotNull(s.load(User.class, "users/cy"));
            }
        }
        try (var store = new DocumentStore(List.of(deadUrl()), database); var s = store.openSession()) {
            assertThrows(ServiceUnavailableException.class, () -> s.load(User.class, "users/cy"));
        }
    }
}

package dev.blitdb.server.databases;

import dev.blitdb.storage.engine.StoreOptions;
import dev.blitdb.storage.merger.MergerOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The registry's lifecycle rules, readiness, and the per-database service contract the index service relies on. */
class DatabaseRegistryTest {

    @TempDir
    Path tmp;

    /** Records its life; checks the store is still open when it is closed. */
    static final class RecordingService implements DatabaseService {
        final Database database;
        final List<String> events;

        RecordingService(Database database, List<String> events) {
            this.database = database;
            this.events = events;
            events.add("start " + database.name() + " docs=" + database.store().stats().documents());
        }

        @Override
        public void close() {
            try (var reader = database.store().beginRead()) { // the store must still be open
                events.add("close " + database.name() + " docs=" + reader.documentCount());
            }
        }
    }

    private DatabaseRegistry registry(List<DatabaseService.Factory> services) throws Exception {
        return DatabaseRegistry.create(tmp.resolve("data"), StoreOptions.defaults(), MergerOptions.defaults(), services);
    }

    @Test
    void shouldStartServicesBeforeServingAndCloseThemBeforeTheStore() throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        try (var registry = registry(List.of(db -> new RecordingService(db, events)))) {
            registry.startLoading();
            registry.awaitLoaded();
            Database shop = registry.create(new DatabaseName("Shop"));
            try (DatabaseLease lease = registry.acquire("shop")) {
                assertSame(shop, lease.database());
                assertTrue(lease.database().service(RecordingService.class).isPresent());
                assertFalse(lease.database().service(String.class).isPresent());
                lease.store().put("a", new dev.blitdb.blittable.BlitWriter().convert("{}".getBytes(), 0, 2)
                        .toByteArray(), null).join();
            }
            registry.drop(new DatabaseName("SHOP"));
            assertEquals(List.of("start default docs=0", "start Shop docs=0", "close Shop docs=1"), events);
        }
        assertEquals("close default docs=0", events.getLast());
    }

    @Test
    void shouldBeReadyOnlyWhenEveryDatabaseIsOnline() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch opening = new CountDownLatch(1);
        Files.createDirectories(tmp.resolve("data/broken"));
        DatabaseService.Factory slow = db -> {
            if (db.name().value().equals("broken")) {
                throw new IllegalStateException("index definitions unreadable");
            }
            opening.countDown();
            assertTrue(release.await(30, TimeUnit.SECONDS));
            return () -> { };
        };
        try (var registry = registry(List.of(slow))) {
            Readiness before = registry.readiness();
            assertTrue(before.starting() && !before.ready(), before.toString());
            registry.startLoading();
            assertTrue(opening.await(30, TimeUnit.SECONDS));
            Readiness loading = registry.readiness();
            for (int i = 0; i < 1000 && loading.failed().isEmpty(); i++) {
                Thread.sleep(10); // 'broken' opens on its own thread
                loading = registry.readiness();
            }
            assertFalse(loading.ready());
            assertEquals(List.of("default"), loading.loading());
            assertTrue(loading.explanation().contains("database 'default' is still opening; database 'broken' "
                    + "failed to open"), loading.explanation());
            release.countDown();
            registry.awaitLoaded();
            Readiness failed = registry.readiness();
            assertFalse(failed.ready(), "a database that failed to open is not ready");
            assertEquals(List.of(), failed.loading());
            assertEquals("broken", failed.failed().getFirst().name());
            assertTrue(failed.failed().getFirst().reason().contains("index definitions unreadable"));
            assertTrue(failed.explanation().contains("'broken' failed to open"), failed.explanation());
            registry.drop(new DatabaseName("broken"));
            assertTrue(registry.readiness().ready(), registry.readiness().toString());
            registry.close();
            Readiness closed = registry.readiness();
            assertTrue(closed.closing() && !closed.ready(), closed.toString());
        } finally {
            release.countDown();
        }
    }

    @Test
    void shouldAnswer503WhileADatabaseIsOpeningAnd503WithTheReasonWhenAServiceFails() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch opening = new CountDownLatch(1);
        Files.createDirectories(tmp.resolve("data/broken"));
        DatabaseService.Factory slow = db -> {
            if (db.name().value().equals("broken")) {
                throw new IllegalStateException("index definitions unreadable");
            }
            opening.countDown();
            assertTrue(release.await(30, TimeUnit.SECONDS));
            return () -> { };
        };
        try (var registry = registry(List.of(slow))) {
            assertThrows(DatabaseUnavailableException.class, () -> registry.acquire("default")); // not scanned yet
            registry.startLoading();
            assertTrue(opening.await(30, TimeUnit.SECONDS));
            var loading = assertThrows(DatabaseUnavailableException.class, () -> registry.acquire("default"));
            assertTrue(loading.getMessage().contains("still opening"), loading.getMessage());
            release.countDown();
            registry.awaitLoaded();
            registry.acquire("default").close();
            var failed = assertThrows(DatabaseUnavailableException.class, () -> registry.acquire("broken"));
            assertTrue(failed.getMessage().contains("index definitions unreadable"), failed.getMessage());
            assertEquals(Database.State.FAILED, registry.list().getFirst().state());
            assertThrows(DatabaseNotFoundException.class, () -> registry.acquire("other"));
            assertThrows(InvalidDatabaseNameException.class, () -> registry.acquire("../x"));
        }
    }

    @Test
    void shouldLetADropDuringOpeningWaitAndCloseWhatWasOpened() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch opening = new CountDownLatch(1);
        List<String> events = new CopyOnWriteArrayList<>();
        DatabaseService.Factory slow = db -> {
            opening.countDown();
            assertTrue(release.await(30, TimeUnit.SECONDS));
            return new RecordingService(db, events);
        };
        try (var registry = registry(List.of(slow))) {
            registry.startLoading();
            assertTrue(opening.await(30, TimeUnit.SECONDS));
            Thread dropper = Thread.ofPlatform().start(() -> {
                try {
                    registry.drop(new DatabaseName("default"));
                } catch (Exception e) {
                    events.add("drop failed: " + e);
                }
            });
            dropper.join(300);
            assertTrue(dropper.isAlive(), "the drop must wait for the opening");
            release.countDown();
            dropper.join(30_000);
            assertFalse(dropper.isAlive());
            assertEquals(List.of("start default docs=0", "close default docs=0"), events);
            assertFalse(Files.exists(tmp.resolve("data/default")));
            assertTrue(registry.list().isEmpty());
        }
    }

    @Test
    void shouldFinishADropInterruptedByACrash() throws Exception {
        Path leftover = tmp.resolve("data/" + DatabaseRegistry.DROPPING_PREFIX + "old-123");
        Files.createDirectories(leftover.resolve("sub"));
        Files.writeString(leftover.resolve("sub/data.blit"), "half deleted");
        try (var registry = registry(List.of())) {
            registry.startLoading();
            registry.awaitLoaded();
            assertFalse(Files.exists(leftover));
            assertEquals(1, registry.list().size());
        }
    }

    @Test
    void shouldRefuseNamesThatCouldEscapeOrCollide() {
        for (String ok : new String[] {"a", "Shop", "my_db-2", "0x", "x".repeat(64)}) {
            assertEquals(ok, new DatabaseName(ok).value());
        }
        for (String bad : new String[] {"", ".", "..", ".x", "-x", "_x", "a/b", "a\\b", "a b", "a.b", "\u00e9",
                "x".repeat(65), "a\u0000"}) {
            assertThrows(InvalidDatabaseNameException.class, () -> new DatabaseName(bad), bad);
        }
        assertThrows(InvalidDatabaseNameException.class, () -> new DatabaseName(null));
        assertEquals("shop", new DatabaseName("ShOp").key());
    }
}

package dev.blitdb.server;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Code logs through {@code System.Logger} only; {@code java.util.logging} is the backend, configured in one place
 * ({@link BlitDbMain}). Scans the main sources of every server-side module.
 */
class OneLoggingApiTest {

    @Test
    void shouldUseJavaUtilLoggingOnlyAsTheBackendConfiguredInBlitDbMain() throws IOException {
        Path root = Path.of("").toAbsolutePath().getParent();
        List<Path> sources = Stream.of("blittable", "storage", "indexing", "server")
                .map(module -> root.resolve(module).resolve("src/main/java")).toList();
        sources.forEach(dir -> assertTrue(Files.isDirectory(dir), dir + " is not a folder"));
        List<String> offenders;
        try (Stream<Path> files = sources.stream().flatMap(OneLoggingApiTest::javaFiles)) {
            offenders = files.filter(f -> !f.getFileName().toString().equals("BlitDbMain.java"))
                    .filter(f -> read(f).contains("java.util.logging"))
                    .map(f -> root.relativize(f).toString()).toList();
        }
        assertEquals(List.of(), offenders, "use System.getLogger(...), not java.util.logging");
    }

    private static Stream<Path> javaFiles(Path dir) {
        try {
            return Files.walk(dir).filter(f -> f.toString().endsWith(".java")).toList().stream();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}

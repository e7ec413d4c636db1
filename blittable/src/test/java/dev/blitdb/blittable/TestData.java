package dev.blitdb.blittable;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/** Shared test data (../shared/data through the {@code blitdb.shared.data} property) and tree comparison. */
final class TestData {
    private TestData() {
    }

    /** Mapper whose trees keep exact numbers (BigDecimal, with scale) so "1.0" and "1.00" differ. */
    static final ObjectMapper EXACT = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
            .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .build();

    /** The shared data folder, or a skipped test (JUnit assumption) with a clear message when it is absent. */
    static Path sharedData() {
        String dir = System.getProperty("blitdb.shared.data", "../../shared/data");
        Path p = Path.of(dir);
        assumeTrue(Files.isDirectory(p), "shared test data not found at " + p.toAbsolutePath()
                + " (set -Dblitdb.shared.data); skipping");
        return p;
    }

    static byte[] read(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode tree(byte[] json) {
        try {
            return EXACT.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static boolean numbersEqual(BigDecimal a, BigDecimal b) {
        return a.compareTo(b) == 0;
    }
}

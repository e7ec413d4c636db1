package dev.blitdb.blittable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** JSONTestSuite conformance: y_ accepted and round-trip, n_ rejected with a position, i_ as FORMAT.md §13 lists. */
class JsonTestSuiteTest {

    /** FORMAT.md §13: the i_ files BlitDB accepts; every other i_ file is rejected. */
    static final List<String> ACCEPTED_I = List.of(
            "i_number_double_huge_neg_exp.json",
            "i_number_huge_exp.json",
            "i_number_neg_int_huge_exp.json",
            "i_number_pos_double_huge_exp.json",
            "i_number_real_neg_overflow.json",
            "i_number_real_pos_overflow.json",
            "i_number_real_underflow.json",
            "i_number_too_big_neg_int.json",
            "i_number_too_big_pos_int.json",
            "i_number_very_big_negative_int.json",
            "i_structure_UTF-8_BOM_empty_object.json");

    private static Stream<Path> files(String prefix) throws IOException {
        Path dir = TestData.sharedData().resolve("JSONTestSuite").resolve("test_parsing");
        return Files.list(dir).filter(p -> p.getFileName().toString().startsWith(prefix)).sorted();
    }

    @TestFactory
    Stream<DynamicTest> shouldAcceptAndRoundTripWhenFileIsY() throws IOException {
        return files("y_").map(p -> DynamicTest.dynamicTest(p.getFileName().toString(), () -> {
            byte[] json = TestData.read(p);
            BlitDocument doc = new BlitDocument().wrap(new BlitWriter().convert(json, 0, json.length).toByteArray())
                    .validate();
            assertEquals(TestData.tree(json), TestData.tree(BlitJsonWriter.toJson(doc, true)));
        }));
    }

    @TestFactory
    Stream<DynamicTest> shouldRejectWithPositionWhenFileIsN() throws IOException {
        return files("n_").map(p -> DynamicTest.dynamicTest(p.getFileName().toString(), () -> {
            byte[] json = TestData.read(p);
            BlitFormatException e = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
                try {
                    new BlitWriter().convert(json, 0, json.length);
                } catch (BlitFormatException x) {
                    return x;
                }
                return null;
            });
            if (e == null) {
                fail("accepted invalid JSON " + p.getFileName());
            }
            assertTrue(e.line() >= 1 && e.column() >= 1, "no position in: " + e.getMessage());
            assertFalse(e.kind().tooLarge());
        }));
    }

    @Test
    void shouldBehaveAsDocumentedWhenFileIsI() throws IOException {
        Map<String, String> actual = new TreeMap<>();
        try (Stream<Path> s = files("i_")) {
            for (Path p : (Iterable<Path>) s::iterator) {
                byte[] json = TestData.read(p);
                String name = p.getFileName().toString();
                String outcome = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
                    try {
                        BlitBuilder b = new BlitWriter().convert(json, 0, json.length);
                        BlitDocument doc = new BlitDocument().wrap(b.toByteArray()).validate();
                        byte[] back = BlitJsonWriter.toJson(doc, true);
                        com.fasterxml.jackson.databind.JsonNode expected;
                        try {
                            expected = TestData.tree(json);
                        } catch (NumberFormatException tooBigForBigDecimal) {
                            // Exponents beyond BigDecimal's range are kept as NUMBER_TEXT: the text comes back.
                            assertEquals(new String(json, java.nio.charset.StandardCharsets.UTF_8).strip(),
                                    new String(back, java.nio.charset.StandardCharsets.UTF_8));
                            return "accepted";
                        }
                        assertEquals(expected, TestData.tree(back));
                        return "accepted";
                    } catch (BlitFormatException e) {
                        assertTrue(e.line() >= 1 || e.kind() == BlitFormatException.Kind.TOO_DEEP, e.getMessage());
                        return "rejected " + e.kind();
                    }
                });
                actual.put(name, outcome);
            }
        }
        StringBuilder report = new StringBuilder();
        actual.forEach((k, v) -> report.append(k).append(" -> ").append(v).append('\n'));
        System.out.println(report);
        for (Map.Entry<String, String> e : actual.entrySet()) {
            assertEquals(ACCEPTED_I.contains(e.getKey()), e.getValue().equals("accepted"),
                    e.getKey() + " was " + e.getValue() + "; FORMAT.md §13 says otherwise\n" + report);
        }
    }
}

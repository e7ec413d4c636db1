package dev.blitdb.blittable;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CorpusRoundTripTest {

    @ParameterizedTest
    @ValueSource(strings = {"twitter.json", "citm_catalog.json", "canada.json"})
    void shouldRoundTripCorpusExactlyWhenConvertedAndWrittenBack(String name) {
        Path file = TestData.sharedData().resolve("json-corpus").resolve(name);
        byte[] json = TestData.read(file);
        BlitWriter writer = new BlitWriter();
        byte[] blit = writer.convert(json, 0, json.length).toByteArray();
        BlitDocument doc = new BlitDocument().wrap(blit).validate();
        byte[] back = BlitJsonWriter.toJson(doc, true);
        assertEquals(TestData.tree(json), TestData.tree(back), name + " differs after the round trip");
        // Sorted output is the same tree too (JSON object equality ignores order).
        assertEquals(TestData.tree(json), TestData.tree(BlitJsonWriter.toJson(doc, false)));
    }
}

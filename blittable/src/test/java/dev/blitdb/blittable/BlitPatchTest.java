package dev.blitdb.blittable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BlitPatchTest {
    private final BlitBuilder out = new BlitBuilder();

    @Test
    void shouldAppendMetadataWhenDocumentHasNone() {
        BlitDocument src = Json.doc("{\"Name\":\"Ann\",\"Age\":34,\"Tags\":[\"a\",{\"x\":null}]}");
        BlitDocuments.withMetadata(src, "users/1", "Users", "A:1-xyz", "2026-11-22T02:00:00.0000000Z", out);
        BlitDocument doc = Json.copyOf(out);
        assertEquals("{\"Name\":\"Ann\",\"Age\":34,\"Tags\":[\"a\",{\"x\":null}],\"@metadata\":{\"@id\":\"users/1\","
                + "\"@collection\":\"Users\",\"@change-vector\":\"A:1-xyz\","
                + "\"@last-modified\":\"2026-11-22T02:00:00.0000000Z\"}}", Json.text(doc));
        assertEquals("Users", BlitDocuments.collection(doc));
    }

    @Test
    void shouldKeepOtherMetadataFieldsAndOrderWhenReplacingMetadataFields() {
        BlitDocument src = Json.doc("{\"B\":1,\"@metadata\":{\"@collection\":\"Old\",\"Raven-Clr-Type\":\"T\","
                + "\"@id\":\"old\"},\"A\":[1,2]}");
        BlitDocuments.withMetadata(src, "orders/7", "Orders", "A:9", null, out);
        BlitDocument doc = Json.copyOf(out);
        assertEquals("{\"B\":1,\"@metadata\":{\"@collection\":\"Orders\",\"Raven-Clr-Type\":\"T\","
                + "\"@id\":\"orders/7\",\"@change-vector\":\"A:9\"},\"A\":[1,2]}", Json.text(doc));
        BlitString s = new BlitString();
        assertTrue(BlitDocuments.metadataString(doc, BlitDocuments.ID_KEY, s));
        assertEquals("orders/7", s.toString());
        assertFalse(BlitDocuments.metadataString(doc, BlitDocuments.LAST_MODIFIED_KEY, s));
    }

    @Test
    void shouldReplaceMetadataWhenItIsNotAnObject() {
        BlitDocument src = Json.doc("{\"@metadata\":\"junk\",\"x\":true}");
        BlitDocuments.withMetadata(src, "a/1", "As", null, null, out);
        assertEquals("{\"@metadata\":{\"@id\":\"a/1\",\"@collection\":\"As\"},\"x\":true}", Json.text(Json.copyOf(out)));
    }

    @Test
    void shouldSetReplaceAndRemoveTopLevelPropertiesWhenPatching() {
        BlitDocument src = Json.doc("{\"z\":1,\"password\":\"secret\",\"a\":{\"deep\":[1,2,3]},\"n\":5}");
        BlitPatch patch = new BlitPatch().remove("password").set("n", 6L).set("new", "v").set("flag", true)
                .set("pi", 3.25).setNull("nothing");
        patch.object("a").set("added", -1L);
        patch.apply(src, out);
        assertEquals("{\"z\":1,\"a\":{\"deep\":[1,2,3],\"added\":-1},\"n\":6,\"new\":\"v\",\"flag\":true,"
                + "\"pi\":3.25,\"nothing\":null}", Json.text(Json.copyOf(out)));
    }

    @Test
    void shouldStaySmallAndValidWhenStampedRepeatedly() {
        BlitDocument doc = Json.doc("{\"Name\":\"" + "x".repeat(500) + "\",\"n\":1}");
        int first = -1;
        for (int i = 0; i < 20; i++) {
            BlitDocuments.withMetadata(doc, "d/" + i, "Ds", "A:" + i, null, out);
            doc = Json.copyOf(out);
            if (first < 0) {
                first = doc.length();
            }
        }
        assertEquals("{\"Name\":\"" + "x".repeat(500) + "\",\"n\":1,\"@metadata\":{\"@id\":\"d/19\","
                + "\"@collection\":\"Ds\",\"@change-vector\":\"A:19\"}}", Json.text(doc));
        // Each stamp leaves the previous root and @metadata tables behind: a few dozen bytes, not a copy.
        assertTrue(doc.length() < first + 20 * 80, "grew to " + doc.length() + " from " + first);
    }

    @Test
    void shouldKeepAllPropertiesWhenRootIsLarge() {
        StringBuilder json = new StringBuilder("{");
        for (int i = 4999; i >= 0; i--) {
            json.append(i == 4999 ? "" : ",").append("\"p").append(i).append("\":").append(i);
        }
        BlitDocument src = Json.doc(json.append('}').toString());
        BlitDocuments.withMetadata(src, "big/1", "Bigs", "A:1", "now", out);
        BlitDocument doc = Json.copyOf(out);
        BlitObject root = doc.rootObject(new BlitObject());
        assertEquals(5001, root.length());
        assertEquals(1234, root.getLong(BlitKey.of("p1234"), -1));
        assertEquals("Bigs", BlitDocuments.collection(doc));
        String text = Json.text(doc);
        assertTrue(text.startsWith("{\"p4999\":4999,\"p4998\":4998,"), text.substring(0, 40));
    }

    @Test
    void shouldRejectPatchWhenRootIsNotAnObject() {
        assertThrows(IllegalArgumentException.class, () -> new BlitPatch().set("a", 1L).apply(Json.doc("[1]"), out));
    }

    @Test
    void shouldReturnNullCollectionWhenMetadataMissing() {
        assertNull(BlitDocuments.collection(Json.doc("{\"a\":1}")));
        assertNull(BlitDocuments.collection(Json.doc("[{\"@metadata\":{\"@collection\":\"X\"}}]")));
    }

    @Test
    void shouldRefuseWhenSourceLivesInTheTargetBuilder() {
        BlitBuilder same = new BlitBuilder();
        same.startObject().name("a").value(1L).endObject().finish();
        BlitDocument inPlace = new BlitDocument().wrap(java.lang.foreign.MemorySegment.ofArray(same.buffer()), 0);
        assertThrows(IllegalArgumentException.class, () -> new BlitPatch().set("b", 2L).apply(inPlace, same));
        new BlitPatch().set("b", 2L).apply(inPlace, out);
        assertEquals("{\"a\":1,\"b\":2}", Json.text(Json.copyOf(out)));
    }
}

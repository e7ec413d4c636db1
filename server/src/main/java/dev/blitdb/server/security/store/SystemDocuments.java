package dev.blitdb.server.security.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.blitdb.blittable.BlitDocument;
import dev.blitdb.blittable.BlitJsonWriter;
import dev.blitdb.blittable.BlitWriter;
import dev.blitdb.storage.documents.DocumentIterator;
import dev.blitdb.storage.documents.DocumentReader;
import dev.blitdb.storage.documents.DocumentStore;
import dev.blitdb.storage.documents.StoredDocument;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The system database's documents as small JSON trees: security records are few and tiny, so they are
 * converted to blittable to be stored and back to JSON to be read, like any client document would be.
 */
final class SystemDocuments {

    static final ObjectMapper JSON = new ObjectMapper();

    private final DocumentStore store;

    SystemDocuments(DocumentStore store) {
        this.store = store;
    }

    DocumentStore store() {
        return store;
    }

    /**
     * Stores {@code document} (it gets {@code @metadata.@collection}, the node is changed) in {@code collection}. The
     * system records are in named collections, as client documents usually are: the server's own writes between
     * two client writes then take the same path through the store's writer (a document without {@code @metadata}
     * is a shape an import never has, and meeting it made the JIT throw the compiled writer away).
     */
    CompletableFuture<?> put(String collection, String id, ObjectNode document) {
        document.putObject("@metadata").put("@collection", collection);
        byte[] json;
        try {
            json = JSON.writeValueAsBytes(document);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] blittable = new BlitWriter().convert(json, 0, json.length).toByteArray();
        return store.put(id, blittable, null);
    }

    CompletableFuture<?> delete(String id) {
        return store.delete(id, null);
    }

    /** Documents whose id starts with {@code prefix}, in id order, skipping {@code skip}, at most {@code max}. */
    List<JsonNode> list(String prefix, int skip, int max) {
        List<JsonNode> out = new ArrayList<>();
        try (DocumentReader reader = store.beginRead()) {
            DocumentIterator it = reader.startsWith(prefix, skip);
            StoredDocument stored = new StoredDocument();
            BlitDocument doc = new BlitDocument();
            while (out.size() < max && it.next(stored)) {
                JsonNode node = JSON.readTree(BlitJsonWriter.toJson(stored.document(doc), true));
                if (node instanceof ObjectNode object) {
                    object.remove("@metadata"); // the stored record only, as it was written
                }
                out.add(node);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("the system database holds a document that is not JSON", e);
        }
        return out;
    }
}

package dev.blitdb.client.bulk;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationConfig;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.BeanPropertyWriter;
import com.fasterxml.jackson.databind.ser.BeanSerializerModifier;
import dev.blitdb.client.exceptions.BlitDbException;
import dev.blitdb.client.session.EntityMapper;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Writes entities as bulk insert lines — {@code {...entity properties..., "@metadata":{"@id":…,"@collection":…}}\n}
 * — in one serialization pass: the entity is serialized straight to bytes by a copy of the application's mapper
 * whose bean serializers leave out the identity property, and the metadata is spliced in before the closing brace.
 * (Going through a tree, as sessions do for change tracking, costs about twice the CPU, and bulk insert is where
 * the client's CPU per document matters.) Pretty printing is forced off: a line must stay one line.
 */
final class DocumentLineWriter {

    private final Sink sink = new Sink(256 << 10);
    private final ObjectWriter writer;
    private final JsonGenerator json;
    private final EntityMapper mapper;
    private final Map<Class<?>, byte[]> collectionSuffix = new ConcurrentHashMap<>();

    DocumentLineWriter(EntityMapper mapper) {
        this.mapper = mapper;
        ObjectMapper withoutIdentity = mapper.mapper().copy();
        String identity = mapper.conventions().identityProperty();
        withoutIdentity.registerModule(new SimpleModule("blitdb-bulk-without-identity")
                .setSerializerModifier(new BeanSerializerModifier() {
                    @Override
                    public List<BeanPropertyWriter> changeProperties(SerializationConfig config,
                                                                     BeanDescription description,
                                                                     List<BeanPropertyWriter> properties) {
                        String jsonName = description.findProperties().stream()
                                .filter(p -> p.getInternalName().equals(identity))
                                .map(p -> p.getName()).findFirst().orElse(null);
                        return jsonName == null ? properties
                                : properties.stream().filter(w -> !w.getName().equals(jsonName)).toList();
                    }
                }));
        this.writer = withoutIdentity.writer().without(SerializationFeature.INDENT_OUTPUT);
        try {
            this.json = withoutIdentity.getFactory().createGenerator(sink);
        } catch (IOException e) {
            throw new BlitDbException("cannot start a JSON writer: " + e.getMessage(), e);
        }
        json.setRootValueSeparator(null);
        json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    }

    /** Appends one line for {@code entity} stored as {@code id}. */
    void write(Object entity, String id) {
        int lineStart = sink.count;
        try {
            writer.writeValue(json, entity);
            json.flush();
        } catch (IOException e) {
            sink.count = lineStart;
            throw new BlitDbException("cannot serialize document '" + id + "': " + e.getMessage(), e);
        }
        if (sink.count - lineStart < 2 || sink.buf[lineStart] != '{' || sink.buf[sink.count - 1] != '}') {
            sink.count = lineStart;
            throw new BlitDbException("an entity must serialize to a JSON object; " + entity.getClass().getName()
                    + " does not");
        }
        boolean empty = sink.buf[sink.count - 2] == '{';
        sink.count--; // reopen the object to add @metadata
        sink.append(empty ? METADATA_FIRST : METADATA_NEXT);
        sink.append(JsonStringEncoder.getInstance().quoteAsUTF8(id));
        sink.append(collectionSuffix.computeIfAbsent(entity.getClass(), this::suffix));
    }

    private static final byte[] METADATA_FIRST = "\"@metadata\":{\"@id\":\"".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    private static final byte[] METADATA_NEXT = ",\"@metadata\":{\"@id\":\"".getBytes(java.nio.charset.StandardCharsets.UTF_8);

    private byte[] suffix(Class<?> type) {
        String collection = new String(JsonStringEncoder.getInstance().quoteAsUTF8(mapper.collectionName(type)),
                java.nio.charset.StandardCharsets.UTF_8);
        return ("\",\"@collection\":\"" + collection + "\"}}\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Bytes written and not yet taken. */
    int size() {
        return sink.count;
    }

    /** The bytes written so far, as a new array; the writer starts empty again. */
    byte[] take() {
        byte[] out = Arrays.copyOf(sink.buf, sink.count);
        sink.count = 0;
        return out;
    }

    /** A growable byte buffer that can be cut back (to drop a half-written line). */
    private static final class Sink extends OutputStream {
        byte[] buf;
        int count;

        Sink(int capacity) {
            buf = new byte[capacity];
        }

        private void ensure(int more) {
            if (count + more > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, count + more));
            }
        }

        @Override
        public void write(int b) {
            ensure(1);
            buf[count++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            ensure(len);
            System.arraycopy(b, off, buf, count, len);
            count += len;
        }

        void append(byte[] b) {
            write(b, 0, b.length);
        }
    }
}

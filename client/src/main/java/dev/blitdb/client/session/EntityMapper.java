package dev.blitdb.client.session;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.AnnotatedMember;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.blitdb.client.DocumentConventions;
import dev.blitdb.client.exceptions.BlitDbException;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Entities ↔ document JSON under a store's conventions: the identity property is left out of the stored JSON and
 * filled from {@code @metadata.@id} on the way back, and Java property names are translated to the JSON names
 * the mapper writes (for queries). Thread-safe; per-class facts are computed once. Used by sessions, queries and
 * bulk insert; applications do not need it.
 */
public final class EntityMapper {

    private final DocumentConventions conventions;
    private final ObjectMapper mapper;
    private final Map<Class<?>, ClassInfo> classes = new ConcurrentHashMap<>();
    private final Map<Class<?>, String> collections = new ConcurrentHashMap<>();

    /** A mapper for {@code conventions} (which must be frozen: the mapper is captured). */
    public EntityMapper(DocumentConventions conventions) {
        this.conventions = conventions;
        this.mapper = conventions.mapper();
    }

    /** The Jackson mapper in use. */
    public ObjectMapper mapper() {
        return mapper;
    }

    /** The store's conventions. */
    public DocumentConventions conventions() {
        return conventions;
    }

    /** What the mapper knows about one class: its identity accessors and Java → JSON property names. */
    private record ClassInfo(String identityJsonName, AnnotatedMember idGetter, AnnotatedMember idSetter,
                             Map<String, String> jsonNames) {
    }

    private ClassInfo info(Class<?> type) {
        return classes.computeIfAbsent(type, t -> {
            JavaType javaType = mapper.constructType(t);
            BeanDescription ser = mapper.getSerializationConfig().introspect(javaType);
            BeanDescription de = mapper.getDeserializationConfig().introspect(javaType);
            Map<String, String> names = new HashMap<>();
            String identity = conventions.identityProperty();
            String identityJson = identity;
            AnnotatedMember getter = null;
            for (BeanPropertyDefinition p : ser.findProperties()) {
                names.put(p.getInternalName(), p.getName());
                if (p.getInternalName().equals(identity)) {
                    identityJson = p.getName();
                    getter = p.getAccessor();
                }
            }
            AnnotatedMember setter = null;
            for (BeanPropertyDefinition p : de.findProperties()) {
                if (p.getInternalName().equals(identity) && (p.hasSetter() || p.hasField())) {
                    setter = p.getMutator();
                }
            }
            if (getter != null) {
                getter.fixAccess(true);
            }
            if (setter != null) {
                setter.fixAccess(true);
            }
            return new ClassInfo(identityJson, getter, setter, Map.copyOf(names));
        });
    }

    /** The collection of {@code type} under the conventions, computed once per class. */
    public String collectionName(Class<?> type) {
        return collections.computeIfAbsent(type, conventions::collectionName);
    }

    /** The JSON name of the identity property of {@code type} (where the id goes when reading documents). */
    public String identityJsonName(Class<?> type) {
        return info(type).identityJsonName();
    }

    /** The id the entity carries in its identity property, or null. */
    public String idOf(Object entity) {
        AnnotatedMember getter = info(entity.getClass()).idGetter();
        if (getter == null) {
            return null;
        }
        Object id = getter.getValue(entity);
        return id == null ? null : id.toString();
    }

    /**
     * Writes {@code id} into the entity's identity property. Entities without a settable one (records, classes
     * without an {@code id}) are left alone: the session still knows their id.
     */
    public void setId(Object entity, String id) {
        AnnotatedMember setter = info(entity.getClass()).idSetter();
        if (setter != null) {
            try {
                setter.setValue(entity, id);
            } catch (IllegalArgumentException e) {
                throw new BlitDbException("cannot set the id of " + entity.getClass().getName() + ": " + e.getMessage(),
                        e);
            }
        }
    }

    /** The JSON body of {@code entity} as stored: its properties without the identity property or metadata. */
    public ObjectNode toJson(Object entity) {
        JsonNode node = mapper.valueToTree(entity);
        if (!(node instanceof ObjectNode object)) {
            throw new BlitDbException("an entity must serialize to a JSON object; " + entity.getClass().getName()
                    + " gives " + node.getNodeType());
        }
        object.remove(info(entity.getClass()).identityJsonName());
        object.remove("@metadata");
        return object;
    }

    /** An entity of {@code type} from a document (its {@code @metadata.@id} becomes the identity property). */
    public <T> T fromJson(ObjectNode document, Class<T> type) {
        ObjectNode copy = document.deepCopy();
        JsonNode metadata = copy.remove("@metadata");
        if (metadata != null && metadata.hasNonNull("@id") && !Map.class.isAssignableFrom(type)
                && !JsonNode.class.isAssignableFrom(type)) {
            copy.put(info(type).identityJsonName(), metadata.get("@id").asText());
        }
        try {
            return mapper.treeToValue(copy, type);
        } catch (IOException e) {
            throw new BlitDbException("cannot map document '" + (metadata == null ? "?" : metadata.path("@id").asText())
                    + "' to " + type.getName() + ": " + e.getMessage(), e);
        }
    }

    /**
     * The JSON name of a Java property path of {@code type}: each dotted segment is translated when it names a
     * property of the class at that level ({@code address.city} → {@code Address.City} under a PascalCase
     * mapper); segments that name nothing known stay as given, so JSON names work too.
     */
    public String jsonPath(Class<?> type, String path) {
        String[] parts = path.split("\\.", -1);
        StringBuilder out = new StringBuilder(path.length());
        Class<?> current = type;
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            boolean array = part.endsWith("[]");
            String name = array ? part.substring(0, part.length() - 2) : part;
            String json = name;
            Class<?> next = null;
            if (current != null && !current.isPrimitive() && !current.getName().startsWith("java.")) {
                json = info(current).jsonNames().getOrDefault(name, name);
                next = propertyType(current, name);
            }
            if (i > 0) {
                out.append('.');
            }
            out.append(json).append(array ? "[]" : "");
            current = next;
        }
        return out.toString();
    }

    private Class<?> propertyType(Class<?> type, String javaName) {
        BeanDescription d = mapper.getSerializationConfig().introspect(mapper.constructType(type));
        for (BeanPropertyDefinition p : d.findProperties()) {
            if (p.getInternalName().equals(javaName)) {
                JavaType t = p.getPrimaryType();
                return t.isContainerType() && t.getContentType() != null ? t.getContentType().getRawClass()
                        : t.getRawClass();
            }
        }
        return null;
    }
}

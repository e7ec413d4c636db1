package dev.blitdb.client;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;

/**
 * How a {@link DocumentStore} maps Java objects to documents. Change them right after creating the store; they
 * freeze at its first request (changing the JSON shape of entities mid-flight would corrupt change tracking),
 * after which setters throw {@link IllegalStateException}.
 *
 * <ul>
 *   <li>collection: the plural of the simple class name ({@code User} → {@code Users});</li>
 *   <li>id prefix: the lowercased collection and a slash ({@code users/}), then a hi-lo number;</li>
 *   <li>identity property: {@code id}, a {@code String} (field or getter/setter); kept out of the stored JSON and
 *       filled from {@code @metadata.@id}. Records and classes without a setter still load and save, but a
 *       generated id cannot be written back into them — give them their id when storing;</li>
 *   <li>mapper: a Jackson {@link ObjectMapper} that ignores unknown properties, so a document with fields the
 *       class lacks still loads (and saving it back drops them — model all fields you need to keep).</li>
 * </ul>
 */
public final class DocumentConventions {

    private ObjectMapper mapper = defaultMapper();
    private Function<Class<?>, String> findCollectionName = type -> Inflector.plural(type.getSimpleName());
    private Function<String, String> idPrefix = collection -> collection.toLowerCase(Locale.ROOT) + "/";
    private String identityProperty = "id";
    private boolean useOptimisticConcurrency;
    private int maxRequestsPerSession = 30;
    private Duration requestTimeout = Duration.ofSeconds(60);
    private volatile boolean frozen;

    /** The mapper the store starts with: unknown properties ignored, dates as ISO strings. */
    public static ObjectMapper defaultMapper() {
        return new ObjectMapper()
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    }

    /** The Jackson mapper for entities. */
    public ObjectMapper mapper() {
        return mapper;
    }

    /** Uses {@code mapper} for entities (naming strategy, modules, visibility). */
    public DocumentConventions mapper(ObjectMapper mapper) {
        check();
        this.mapper = Objects.requireNonNull(mapper);
        return this;
    }

    /** The collection of entities of {@code type}. */
    public String collectionName(Class<?> type) {
        return findCollectionName.apply(type);
    }

    /** Replaces the class → collection rule. */
    public DocumentConventions findCollectionName(Function<Class<?>, String> rule) {
        check();
        this.findCollectionName = Objects.requireNonNull(rule);
        return this;
    }

    /** The prefix of generated ids in {@code collection}, e.g. {@code users/}. */
    public String idPrefix(String collection) {
        return idPrefix.apply(collection);
    }

    /** Replaces the collection → id prefix rule. */
    public DocumentConventions idPrefix(Function<String, String> rule) {
        check();
        this.idPrefix = Objects.requireNonNull(rule);
        return this;
    }

    /** The Java property that holds the document id ({@code id}). */
    public String identityProperty() {
        return identityProperty;
    }

    /** Uses {@code property} as the identity property. */
    public DocumentConventions identityProperty(String property) {
        check();
        this.identityProperty = Objects.requireNonNull(property);
        return this;
    }

    /** Whether sessions send change vectors by default (see {@code SessionOptions}). */
    public boolean useOptimisticConcurrency() {
        return useOptimisticConcurrency;
    }

    /** Makes every session use optimistic concurrency unless its options say otherwise. */
    public DocumentConventions useOptimisticConcurrency(boolean use) {
        check();
        this.useOptimisticConcurrency = use;
        return this;
    }

    /** The request budget of a session (30). */
    public int maxRequestsPerSession() {
        return maxRequestsPerSession;
    }

    /** Sets the default request budget of a session. */
    public DocumentConventions maxRequestsPerSession(int max) {
        check();
        if (max < 1) {
            throw new IllegalArgumentException("a session needs a budget of at least 1 request, got " + max);
        }
        this.maxRequestsPerSession = max;
        return this;
    }

    /** How long one request may take before {@code BlitDbTimeoutException} (60 s). */
    public Duration requestTimeout() {
        return requestTimeout;
    }

    /** Sets the per-request timeout. */
    public DocumentConventions requestTimeout(Duration timeout) {
        check();
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("the request timeout must be positive, got " + timeout);
        }
        this.requestTimeout = timeout;
        return this;
    }

    void freeze() {
        frozen = true;
    }

    private void check() {
        if (frozen) {
            throw new IllegalStateException("conventions are frozen once the store has sent its first request; "
                    + "set them right after creating the DocumentStore");
        }
    }
}

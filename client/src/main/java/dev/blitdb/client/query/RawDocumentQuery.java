package dev.blitdb.client.query;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * A query written in RQL ({@code from Users where Age > $min}), its values bound as parameters with
 * {@link #addParameter}. Whole documents join the session's identity map; projections ({@code select}) are
 * mapped to the result type without being tracked.
 *
 * @param <T> the type results are mapped to
 */
public final class RawDocumentQuery<T> {

    private final QueryRunner runner;
    private final Class<T> type;
    private final String rql;
    private final Map<String, Object> parameters = new LinkedHashMap<>();
    private Duration wait;
    private QueryStatistics statistics;

    /** A query of {@code rql} run by {@code runner}; sessions create these via {@code rawQuery}. */
    public RawDocumentQuery(QueryRunner runner, Class<T> type, String rql) {
        this.runner = runner;
        this.type = type;
        this.rql = Objects.requireNonNull(rql, "rql");
    }

    /** Binds {@code $name} (give the name without the dollar sign). */
    public RawDocumentQuery<T> addParameter(String name, Object value) {
        parameters.put(name.startsWith("$") ? name.substring(1) : name, value);
        return this;
    }

    /** Waits up to {@code timeout} for the index to include every write made before the query. */
    public RawDocumentQuery<T> waitForNonStaleResults(Duration timeout) {
        this.wait = Objects.requireNonNull(timeout);
        return this;
    }

    /** Fills {@code out} with the numbers of the query when it runs. */
    public RawDocumentQuery<T> statistics(QueryStatistics out) {
        this.statistics = out;
        return this;
    }

    /** Runs the query: one request. */
    public List<T> toList() {
        QueryResult result = runner.run(new QueryCommand(rql,
                java.util.Collections.unmodifiableMap(new LinkedHashMap<>(parameters)), wait));
        if (statistics != null) {
            statistics.fill(result);
        }
        return DocumentQuery.materialize(runner, result, type);
    }

    /** The first result; {@link NoSuchElementException} when there is none. */
    public T first() {
        List<T> all = toList();
        if (all.isEmpty()) {
            throw new NoSuchElementException("the query returned no results: " + rql);
        }
        return all.get(0);
    }
}

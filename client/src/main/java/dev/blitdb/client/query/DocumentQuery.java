package dev.blitdb.client.query;

import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * A typed, fluent query compiled to parameterized RQL. Field names are the entity's Java property names (or
 * dotted paths, {@code address.city}, {@code tags[]}) and are translated to the JSON names the store's mapper
 * writes; every value becomes a parameter ({@code $p0}, {@code $p1} …) and is never spliced into the query text.
 *
 * <p>Conditions are joined with {@code and} unless {@link #orElse()} comes between them; {@link #not()} negates
 * the next condition or subclause; {@link #openSubclause()} / {@link #closeSubclause()} are parentheses. The
 * semantics are the server's (indexing/README.md): {@code whereNotEquals} also matches documents without the
 * field, a condition on a list holds when it holds for any item, strings compare case-sensitively.
 *
 * <pre>{@code
 * List<User> adults = session.query(User.class)
 *     .whereGreaterThanOrEqual("age", 18).andAlso()
 *     .openSubclause().whereEquals("city", "Oslo").orElse().whereStartsWith("name", "Bo").closeSubclause()
 *     .orderByDescending("age").take(20).toList();
 * }</pre>
 *
 * @param <T> the type results are mapped to (the entity, or a projection after {@link #selectFields})
 */
public final class DocumentQuery<T> {

    private final QueryRunner runner;
    private final Class<?> entityType;
    private final Class<T> resultType;
    private final String indexName;
    private final StringBuilder where = new StringBuilder();
    private final Map<String, Object> parameters = new LinkedHashMap<>();
    private final List<String> orderBy = new ArrayList<>();
    private List<String> select = List.of();
    private boolean needsOperator;
    private boolean negateNext;
    private int openClauses;
    private Integer skip;
    private Integer take;
    private Duration wait;
    private QueryStatistics statistics;

    /** A query over {@code type}'s collection, or over {@code indexName} when not null. */
    public DocumentQuery(QueryRunner runner, Class<T> type, String indexName) {
        this(runner, type, type, indexName);
    }

    private DocumentQuery(QueryRunner runner, Class<?> entityType, Class<T> resultType, String indexName) {
        this.runner = runner;
        this.entityType = entityType;
        this.resultType = resultType;
        this.indexName = indexName;
    }

    private String field(String javaPath) {
        return RqlNames.path(runner.mapper().jsonPath(entityType, Objects.requireNonNull(javaPath, "field")));
    }

    private String parameter(Object value) {
        String name = "p" + parameters.size();
        parameters.put(name, value instanceof Collection<?> c ? List.copyOf(c) : value);
        return "$" + name;
    }

    private DocumentQuery<T> condition(String rql) {
        beforeOperand();
        where.append(rql);
        needsOperator = true;
        return this;
    }

    private void beforeOperand() {
        if (needsOperator) {
            where.append(" and ");
        }
        if (negateNext) {
            where.append("not ");
            negateNext = false;
        }
    }

    /** {@code field = value} (a null value matches documents whose field is JSON null). */
    public DocumentQuery<T> whereEquals(String field, Object value) {
        return condition(field(field) + " = " + parameter(value));
    }

    /** {@code field != value}: also matches documents that lack the field. */
    public DocumentQuery<T> whereNotEquals(String field, Object value) {
        return condition(field(field) + " != " + parameter(value));
    }

    /** {@code field > value}. */
    public DocumentQuery<T> whereGreaterThan(String field, Object value) {
        return condition(field(field) + " > " + parameter(value));
    }

    /** {@code field >= value}. */
    public DocumentQuery<T> whereGreaterThanOrEqual(String field, Object value) {
        return condition(field(field) + " >= " + parameter(value));
    }

    /** {@code field < value}. */
    public DocumentQuery<T> whereLessThan(String field, Object value) {
        return condition(field(field) + " < " + parameter(value));
    }

    /** {@code field <= value}. */
    public DocumentQuery<T> whereLessThanOrEqual(String field, Object value) {
        return condition(field(field) + " <= " + parameter(value));
    }

    /** {@code field between from and to}, both ends included. */
    public DocumentQuery<T> whereBetween(String field, Object from, Object to) {
        return condition(field(field) + " between " + parameter(from) + " and " + parameter(to));
    }

    /** {@code field in (values…)}: equal to any of them. */
    public DocumentQuery<T> whereIn(String field, Collection<?> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("whereIn needs at least one value");
        }
        return condition(field(field) + " in " + parameter(values));
    }

    /** {@code startsWith(field, prefix)} (case-sensitive). */
    public DocumentQuery<T> whereStartsWith(String field, String prefix) {
        return condition("startsWith(" + field(field) + ", " + parameter(prefix) + ")");
    }

    /** {@code exists(field)}: the path reaches at least one value ({@code null} included). */
    public DocumentQuery<T> whereExists(String field) {
        return condition("exists(" + field(field) + ")");
    }

    /** {@code search(field, terms)}: any of the analysed words; only on {@code Text} fields. */
    public DocumentQuery<T> search(String field, String terms) {
        return condition("search(" + field(field) + ", " + parameter(terms) + ")");
    }

    /** Joins the previous and the next condition with {@code and} (also the default). */
    public DocumentQuery<T> andAlso() {
        requireLeftOperand("andAlso");
        where.append(" and ");
        needsOperator = false;
        return this;
    }

    /** Joins the previous and the next condition with {@code or}. */
    public DocumentQuery<T> orElse() {
        requireLeftOperand("orElse");
        where.append(" or ");
        needsOperator = false;
        return this;
    }

    private void requireLeftOperand(String operator) {
        if (!needsOperator) {
            throw new IllegalStateException(operator + "() must follow a condition or closeSubclause()");
        }
    }

    /** Negates the next condition or subclause. */
    public DocumentQuery<T> not() {
        negateNext = !negateNext;
        return this;
    }

    /** Opens a parenthesis. */
    public DocumentQuery<T> openSubclause() {
        beforeOperand();
        where.append('(');
        needsOperator = false;
        openClauses++;
        return this;
    }

    /** Closes the last open parenthesis. */
    public DocumentQuery<T> closeSubclause() {
        if (openClauses == 0 || !needsOperator) {
            throw new IllegalStateException("closeSubclause() needs an open subclause with a condition in it");
        }
        where.append(')');
        openClauses--;
        return this;
    }

    /** Orders by {@code field} ascending (documents without it first); several calls add tie-breakers. */
    public DocumentQuery<T> orderBy(String field) {
        orderBy.add(field(field));
        return this;
    }

    /** Orders by {@code field} descending (documents without it last). */
    public DocumentQuery<T> orderByDescending(String field) {
        orderBy.add(field(field) + " desc");
        return this;
    }

    /** Skips the first {@code count} results. */
    public DocumentQuery<T> skip(int count) {
        if (count < 0) {
            throw new IllegalArgumentException("skip must be ≥ 0, got " + count);
        }
        this.skip = count;
        return this;
    }

    /** Returns at most {@code count} results. */
    public DocumentQuery<T> take(int count) {
        if (count < 0) {
            throw new IllegalArgumentException("take must be ≥ 0, got " + count);
        }
        this.take = count;
        return this;
    }

    /** Waits up to {@code timeout} for the index to include every write made before the query. */
    public DocumentQuery<T> waitForNonStaleResults(Duration timeout) {
        this.wait = Objects.requireNonNull(timeout);
        return this;
    }

    /** Fills {@code out} with total, staleness, index and duration when the query runs. */
    public DocumentQuery<T> statistics(QueryStatistics out) {
        this.statistics = out;
        return this;
    }

    /**
     * Projects results into {@code projection}: each of {@code fields} (a property of the entity) is selected
     * under the JSON name of the projection's property of the same name; with no fields, every property of the
     * projection class is selected. Projections are not tracked by the session. The projection's identity
     * property, if any, receives the document id.
     */
    public <P> DocumentQuery<P> selectFields(Class<P> projection, String... fields) {
        List<String> names = new ArrayList<>(List.of(fields));
        if (names.isEmpty()) {
            var config = runner.mapper().mapper().getDeserializationConfig();
            for (BeanPropertyDefinition p : config.introspect(config.constructType(projection)).findProperties()) {
                if (!p.getInternalName().equals(runner.mapper().conventions().identityProperty())) {
                    names.add(p.getInternalName());
                }
            }
        }
        DocumentQuery<P> q = new DocumentQuery<>(runner, entityType, projection, indexName);
        q.where.append(where);
        q.parameters.putAll(parameters);
        q.orderBy.addAll(orderBy);
        q.needsOperator = needsOperator;
        q.negateNext = negateNext;
        q.openClauses = openClauses;
        q.skip = skip;
        q.take = take;
        q.wait = wait;
        q.statistics = statistics;
        List<String> select = new ArrayList<>();
        for (String name : names) {
            select.add(field(name) + " as " + RqlNames.name(runner.mapper().jsonPath(projection, name)));
        }
        q.select = List.copyOf(select);
        return q;
    }

    /** The RQL this query sends (values appear as {@code $p0}…); see {@link #parameters()}. */
    public String toRql() {
        return rql(take);
    }

    /** The parameters this query sends with its RQL. */
    public Map<String, Object> parameters() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    }

    private String rql(Integer limit) {
        if (openClauses != 0) {
            throw new IllegalStateException(openClauses + " subclause(s) still open; call closeSubclause()");
        }
        if (negateNext) {
            throw new IllegalStateException("not() must be followed by a condition or a subclause");
        }
        if (where.length() > 0 && !needsOperator) {
            throw new IllegalStateException("the query ends with andAlso()/orElse(); add the condition it joins");
        }
        StringBuilder rql = new StringBuilder("from ");
        rql.append(indexName != null ? "index " + RqlNames.quoteString(indexName)
                : RqlNames.name(runner.collectionName(entityType)));
        if (where.length() > 0) {
            rql.append(" where ").append(where);
        }
        if (!orderBy.isEmpty()) {
            rql.append(" order by ").append(String.join(", ", orderBy));
        }
        if (!select.isEmpty()) {
            rql.append(" select ").append(String.join(", ", select));
        }
        if (limit != null || skip != null) {
            rql.append(" limit ").append(limit == null ? Integer.MAX_VALUE : limit);
            if (skip != null && skip > 0) {
                rql.append(" offset ").append(skip);
            }
        }
        return rql.toString();
    }

    private QueryResult execute(Integer limit) {
        QueryResult result = runner.run(new QueryCommand(rql(limit), parameters(), wait));
        if (statistics != null) {
            statistics.fill(result);
        }
        return result;
    }

    /** Runs the query: one request; whole documents join the session's identity map. */
    public List<T> toList() {
        return materialize(runner, execute(take), resultType);
    }

    /** The first result; {@link NoSuchElementException} when there is none. */
    public T first() {
        T first = firstOrNull();
        if (first == null) {
            throw new NoSuchElementException("the query returned no results: " + toRql());
        }
        return first;
    }

    /** The first result, or null. */
    public T firstOrNull() {
        List<T> page = materialize(runner, execute(take == null ? 1 : Math.min(take, 1)), resultType);
        return page.isEmpty() ? null : page.get(0);
    }

    /** How many documents match (the server's exact total), transferring none of them. */
    public long count() {
        return execute(0).totalResults();
    }

    /** Results → objects: documents (they carry a change vector) are tracked, projections only mapped. */
    static <R> List<R> materialize(QueryRunner runner, QueryResult result, Class<R> type) {
        List<R> out = new ArrayList<>(result.results().size());
        for (ObjectNode doc : result.results()) {
            boolean whole = doc.path("@metadata").hasNonNull("@change-vector");
            out.add(whole ? runner.track(doc, type) : runner.project(doc, type));
        }
        return out;
    }
}

package dev.blitdb.indexing.execution;

import dev.blitdb.indexing.definition.FieldType;
import dev.blitdb.indexing.definition.IndexDefinition;
import dev.blitdb.indexing.definition.IndexField;
import dev.blitdb.indexing.query.QueryException;
import dev.blitdb.indexing.query.QueryParameters;
import dev.blitdb.indexing.query.rql.RqlExpression;
import dev.blitdb.indexing.query.rql.RqlField;
import dev.blitdb.indexing.query.rql.RqlQuery;
import dev.blitdb.indexing.query.rql.RqlValue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Works out the automatic index a collection query needs: one field per path the query filters or sorts on,
 * named by the path, typed by how the query uses it.
 *
 * <ul>
 *   <li>compared with numbers → {@code Double} (numbers compare numerically; exact up to 2^53);</li>
 *   <li>compared with strings, or {@code startsWith} → {@code Keyword};</li>
 *   <li>compared with booleans → {@code Boolean}; {@code search} → {@code Text};</li>
 *   <li>only {@code exists}, {@code = null} or {@code order by} → the type the collection's automatic index
 *       already gives the path, else {@code Keyword}; {@code order by X as number} → {@code Double};</li>
 *   <li>a path used two ways (numbers and strings, say) is an error that suggests a static index.</li>
 * </ul>
 * The index is named {@code Auto/{Collection}/By{Path}And{Path}...} with paths sorted.
 */
public final class AutoIndexPlanner {

    private AutoIndexPlanner() {
    }

    /** The fields (path → type) the query needs, in path order. */
    public static Map<String, FieldType> requiredFields(RqlQuery query, QueryParameters parameters) {
        Map<String, FieldType> fields = new TreeMap<>();
        query.where().ifPresent(where -> collect(where, parameters, fields));
        for (RqlQuery.OrderBy key : query.orderBy()) {
            FieldType wanted = switch (key.type()) {
                case NUMBER -> FieldType.DOUBLE;
                case STRING -> FieldType.KEYWORD;
                case DEFAULT -> fields.get(key.field().path()); // as filtered, as already indexed, else Keyword
            };
            if (wanted == null) {
                fields.putIfAbsent(key.field().path(), null);
                continue;
            }
            if (wanted == FieldType.TEXT) {
                throw new QueryException("'" + key.field().path() + "' is searched with search() and cannot also be "
                        + "ordered by in an automatic index; create a static index with two fields for it");
            }
            merge(fields, key.field(), wanted, "order by");
        }
        return fields;
    }

    private static void collect(RqlExpression e, QueryParameters parameters, Map<String, FieldType> fields) {
        switch (e) {
            case RqlExpression.And and -> and.terms().forEach(t -> collect(t, parameters, fields));
            case RqlExpression.Or or -> or.terms().forEach(t -> collect(t, parameters, fields));
            case RqlExpression.Not not -> collect(not.term(), parameters, fields);
            case RqlExpression.Comparison c -> byValues(c.field(), List.of(c.value()), parameters, fields);
            case RqlExpression.Between b -> byValues(b.field(), List.of(b.low(), b.high()), parameters, fields);
            case RqlExpression.In in -> byValues(in.field(), in.values(), parameters, fields);
            case RqlExpression.StartsWith s -> merge(fields, s.field(), FieldType.KEYWORD, "startsWith");
            case RqlExpression.Exists x -> fields.putIfAbsent(x.field().path(), null);
            case RqlExpression.Search s -> merge(fields, s.field(), FieldType.TEXT, "search");
        }
    }

    private static void byValues(RqlField field, List<RqlValue> values, QueryParameters parameters,
                                 Map<String, FieldType> fields) {
        List<Object> resolved = new ArrayList<>();
        for (RqlValue v : values) {
            Object value = parameters.resolve(v);
            if (value instanceof List<?> list) {
                resolved.addAll(list);
            } else {
                resolved.add(value);
            }
        }
        boolean typed = false;
        for (Object value : resolved) {
            FieldType type = switch (value) {
                case null -> null;
                case String s -> FieldType.KEYWORD;
                case Boolean b -> FieldType.BOOLEAN;
                default -> FieldType.DOUBLE;
            };
            if (type != null) {
                merge(fields, field, type, "comparison");
                typed = true;
            }
        }
        if (!typed) {
            fields.putIfAbsent(field.path(), null);
        }
    }

    private static void merge(Map<String, FieldType> fields, RqlField field, FieldType type, String use) {
        FieldType before = fields.get(field.path());
        if (before != null && before != type) {
            throw new QueryException("'" + field.path() + "' is used as " + before.wireName() + " and as "
                    + type.wireName() + " (" + use + ") in one query; an automatic index gives each path one type, "
                    + "so create a static index with a field for each use");
        }
        fields.put(field.path(), type);
    }

    /** Fields the query left untyped (exists/null only) default to Keyword. */
    static Map<String, FieldType> withDefaults(Map<String, FieldType> fields) {
        Map<String, FieldType> out = new TreeMap<>();
        fields.forEach((path, type) -> out.put(path, type == null ? FieldType.KEYWORD : type));
        return out;
    }

    /**
     * An automatic index for {@code collection} with {@code fields}, or, if {@code existing} has other fields,
     * with the union of both (widening). Throws when a path would need two types.
     */
    public static IndexDefinition definition(String collection, Map<String, FieldType> fields,
                                             IndexDefinition existing) {
        Map<String, FieldType> union = new TreeMap<>();
        if (existing != null) {
            for (IndexField f : existing.fields().values()) {
                union.put(f.name(), f.type());
            }
        }
        for (var entry : fields.entrySet()) {
            FieldType have = union.get(entry.getKey());
            FieldType want = entry.getValue();
            if (have != null && want != null && have != want) {
                throw new QueryException("automatic index '" + existing.name() + "' has '" + entry.getKey()
                        + "' as " + have.wireName() + " but this query uses it as " + want.wireName()
                        + "; create a static index for this query");
            }
            union.putIfAbsent(entry.getKey(), want);
        }
        union = withDefaults(union);
        List<IndexDefinition.FieldSpec> specs = new ArrayList<>();
        StringBuilder name = new StringBuilder(IndexDefinition.AUTO_PREFIX).append(safe(collection)).append("/By");
        boolean first = true;
        for (var entry : union.entrySet()) {
            specs.add(new IndexDefinition.FieldSpec(entry.getKey(), entry.getKey(), entry.getValue().wireName()));
            name.append(first ? "" : "And").append(safe(entry.getKey()));
            first = false;
        }
        String indexName = name.length() > IndexDefinition.MAX_NAME_LENGTH
                ? name.substring(0, IndexDefinition.MAX_NAME_LENGTH - 9) + "-" + Integer.toHexString(name.toString().hashCode())
                : name.toString();
        return IndexDefinition.of(indexName, collection, specs, null);
    }

    private static String safe(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '[' && i + 1 < text.length() && text.charAt(i + 1) == ']') {
                i++;
                continue; // Tags[] -> Tags
            }
            out.append(Character.isLetterOrDigit(c) || c == '-' || c == '_' || c == '.' ? c : '_');
        }
        return out.isEmpty() ? "_" : out.toString();
    }
}

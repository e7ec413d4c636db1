package dev.blitdb.indexing.query;

import dev.blitdb.indexing.definition.IndexDefinition;
import dev.blitdb.indexing.definition.IndexField;
import dev.blitdb.indexing.lucene.InternalFields;
import dev.blitdb.indexing.query.rql.RqlQuery.OrderBy;
import org.apache.lucene.document.DoubleField;
import org.apache.lucene.document.KeywordField;
import org.apache.lucene.document.LongField;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.search.SortedNumericSelector;
import org.apache.lucene.search.SortedSetSelector;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns {@code order by} into a Lucene sort. Rules (the oracle test holds it to them):
 * <ul>
 *   <li>Keyword and Boolean fields sort by UTF-8 bytes, Long and Double numerically; Text fields cannot be sorted.</li>
 *   <li>A multi-valued field sorts by its smallest value ascending and by its largest descending.</li>
 *   <li>A document without a value (missing or null) sorts below every value: first ascending, last descending.</li>
 *   <li>Ties, and queries without {@code order by}, are ordered by document id (lowercased), ascending; a query
 *       with {@code search()} and no {@code order by} is ordered by relevance first.</li>
 *   <li>{@code as string} / {@code as number} must agree with the field's type.</li>
 * </ul>
 */
public final class QuerySortBuilder {

    private QuerySortBuilder() {
    }

    public static Sort build(IndexDefinition index, List<OrderBy> orderBy, boolean relevanceFirst) {
        List<SortField> fields = new ArrayList<>();
        if (orderBy.isEmpty() && relevanceFirst) {
            fields.add(SortField.FIELD_SCORE);
        }
        for (OrderBy key : orderBy) {
            fields.add(sortField(LuceneQueryBuilder.field(index, key.field()), key));
        }
        fields.add(IdOrderComparator.sortField(InternalFields.ID)); // ordinals, bytes only across segments
        return new Sort(fields.toArray(SortField[]::new));
    }

    private static SortField sortField(IndexField f, OrderBy key) {
        boolean desc = key.descending();
        boolean numeric = f.type() == dev.blitdb.indexing.definition.FieldType.LONG
                || f.type() == dev.blitdb.indexing.definition.FieldType.DOUBLE;
        switch (key.type()) {
            case STRING -> {
                if (numeric) {
                    throw new QueryException("field '" + f.name() + "' is " + f.type().wireName()
                            + "; it cannot be ordered 'as string'");
                }
            }
            case NUMBER -> {
                if (!numeric) {
                    throw new QueryException("field '" + f.name() + "' is " + f.type().wireName()
                            + "; it cannot be ordered 'as number'");
                }
            }
            case DEFAULT -> {
            }
        }
        SortField sort = switch (f.type()) {
            case KEYWORD, BOOLEAN -> {
                SortField s = KeywordField.newSortField(f.name(), desc,
                        desc ? SortedSetSelector.Type.MAX : SortedSetSelector.Type.MIN);
                s.setMissingValue(SortField.STRING_FIRST);
                yield s;
            }
            case LONG -> {
                SortField s = LongField.newSortField(f.name(), desc,
                        desc ? SortedNumericSelector.Type.MAX : SortedNumericSelector.Type.MIN);
                s.setMissingValue(Long.MIN_VALUE);
                yield s;
            }
            case DOUBLE -> {
                SortField s = DoubleField.newSortField(f.name(), desc,
                        desc ? SortedNumericSelector.Type.MAX : SortedNumericSelector.Type.MIN);
                s.setMissingValue(Double.NEGATIVE_INFINITY);
                yield s;
            }
            case TEXT -> throw new QueryException("field '" + f.name() + "' is Text and cannot be ordered by; "
                    + "index it as Keyword too to sort on it");
        };
        return sort;
    }
}

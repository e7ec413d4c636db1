package dev.blitdb.indexing.query.rql;

import java.util.List;
import java.util.Optional;

/**
 * A parsed query: where the documents come from, an optional filter, the order, the page and the projection.
 *
 * @param source  a collection ({@code from Users}) or a named index ({@code from index 'Users/ByCity'})
 * @param where   the filter, absent for "all documents"
 * @param orderBy sort keys, first one most significant; empty for the source's natural order
 * @param limit   how many results at most, absent for "all"
 * @param offset  how many matching results to skip, absent for 0
 * @param select  fields to project, empty for whole documents
 */
public record RqlQuery(Source source, Optional<RqlExpression> where, List<OrderBy> orderBy,
                       Optional<RqlValue> limit, Optional<RqlValue> offset, List<Projection> select) {

    public RqlQuery {
        orderBy = List.copyOf(orderBy);
        select = List.copyOf(select);
    }

    /** Where a query reads from. */
    public sealed interface Source permits Collection, Index {
    }

    /** {@code from Users}: a collection, by name (case-insensitive, as collections are). */
    public record Collection(String name) implements Source {
    }

    /** {@code from index 'Users/ByCity'}: a named index. */
    public record Index(String name) implements Source {
    }

    /** How values of a sort key compare: as the index stores them, as strings, or as numbers. */
    public enum SortType { DEFAULT, STRING, NUMBER }

    /** One sort key: {@code order by Age desc}, {@code order by Name as string}. */
    public record OrderBy(RqlField field, boolean descending, SortType type) {
    }

    /** One projected field: {@code select Name, Address.City as City}. */
    public record Projection(RqlField field, String alias) {
        /** The name the field has in the result: its alias, else its path as written. */
        public String resultName() {
            return alias != null ? alias : field.path();
        }
    }
}

package dev.blitdb.indexing.query;

import dev.blitdb.indexing.lucene.InternalFields;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.TopFieldDocs;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Runs a query on a searcher and returns one page of document ids, in order, with the exact total. */
public final class IndexSearch {

    /** One page of results: ids as the client cased them, and how many documents matched in all. */
    public record Page(List<String> ids, long totalResults) {
    }

    private IndexSearch() {
    }

    /**
     * @param offset matches to skip
     * @param limit  matches to return at most
     */
    public static Page search(IndexSearcher searcher, Query query, Sort sort, int offset, int limit)
            throws IOException {
        int total = searcher.count(query);
        if (limit <= 0 || offset >= total) {
            return new Page(List.of(), total);
        }
        int wanted = (int) Math.min((long) offset + limit, total);
        TopFieldDocs top = searcher.search(query, wanted, sort, needsScores(sort));
        StoredFields stored = searcher.storedFields();
        List<String> ids = new ArrayList<>(Math.max(0, top.scoreDocs.length - offset));
        for (int i = offset; i < top.scoreDocs.length; i++) {
            ScoreDoc hit = top.scoreDocs[i];
            ids.add(stored.document(hit.doc).get(InternalFields.ORIGINAL_ID));
        }
        return new Page(ids, total);
    }

    private static boolean needsScores(Sort sort) {
        for (var field : sort.getSort()) {
            if (field.getType() == org.apache.lucene.search.SortField.Type.SCORE) {
                return true;
            }
        }
        return false;
    }
}

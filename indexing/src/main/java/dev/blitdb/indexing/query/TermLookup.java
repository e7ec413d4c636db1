package dev.blitdb.indexing.query;

import dev.blitdb.indexing.lucene.InternalFields;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.SortedSetDocValues;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.util.BytesRef;

import java.io.IOException;
import java.util.List;

/**
 * One thread's Lucene enums for the one-term path of {@link IndexSearch} (the point query): a terms enum and a
 * postings enum per segment and field, and the id field's doc values per segment, kept from query to query while
 * the thread keeps querying the same segments of the same field.
 *
 * <p>Why: building them per query — the terms enum's frames, the postings enum's buffers, the doc-values reader
 * with its terms-dictionary block buffer — was a third of the point query's Lucene time and most of its
 * allocation. A terms enum may seek any term of its segment, a postings enum may be handed back to its own terms
 * enum, and the id doc values only go forward: they are replaced when a hit lies before their position. Entries
 * are used only for segments of the searcher the caller holds (same {@link LeafReader} objects), which are open;
 * one thread's enums are never shared.
 */
final class TermLookup {

    private static final ThreadLocal<TermLookup> PER_THREAD = ThreadLocal.withInitial(TermLookup::new);

    private IndexReader reader;
    private String field;
    private LeafReader[] leaves = new LeafReader[0];
    private TermsEnum[] terms = new TermsEnum[0];
    private PostingsEnum[] postings = new PostingsEnum[0];
    private SortedSetDocValues[] ids = new SortedSetDocValues[0];
    /** Scratch for the ids of one page of candidates (grown, never shrunk: at most {@code DIRECT_MAX} ids). */
    byte[] bytes = new byte[64 * 24];
    int[] starts = new int[64];
    int[] lengths = new int[64];
    int[] order = new int[64];

    static TermLookup forThread(IndexReader reader, String field) {
        TermLookup t = PER_THREAD.get();
        t.use(reader, field);
        return t;
    }

    private void use(IndexReader top, String field) {
        if (top == reader && field.equals(this.field)) {
            return;
        }
        List<LeafReaderContext> contexts = top.leaves();
        int n = contexts.size();
        LeafReader[] nextLeaves = new LeafReader[n];
        TermsEnum[] nextTerms = new TermsEnum[n];
        PostingsEnum[] nextPostings = new PostingsEnum[n];
        SortedSetDocValues[] nextIds = new SortedSetDocValues[n];
        boolean sameField = field.equals(this.field);
        for (int i = 0; i < n; i++) {
            LeafReader leaf = contexts.get(i).reader();
            nextLeaves[i] = leaf;
            for (int j = 0; j < leaves.length; j++) { // a segment unchanged since the last reader keeps its enums
                if (leaves[j] == leaf) {
                    if (sameField) {
                        nextTerms[i] = terms[j];
                        nextPostings[i] = postings[j];
                    }
                    nextIds[i] = ids[j];
                    break;
                }
            }
        }
        reader = top;
        this.field = field;
        leaves = nextLeaves;
        terms = nextTerms;
        postings = nextPostings;
        ids = nextIds;
    }

    /** The segment's terms enum positioned on {@code term}, or null when the segment lacks it. */
    TermsEnum seek(int leaf, BytesRef term) throws IOException {
        TermsEnum te = terms[leaf];
        if (te == null) {
            Terms t = leaves[leaf].terms(field);
            if (t == null) {
                return null;
            }
            te = terms[leaf] = t.iterator();
        }
        return te.seekExact(term) ? te : null;
    }

    /** The postings of the term {@code te} (from {@link #seek}) is on, reusing the segment's last enum. */
    PostingsEnum postings(int leaf, TermsEnum te) throws IOException {
        return postings[leaf] = te.postings(postings[leaf], PostingsEnum.NONE);
    }

    /** The id of document {@code doc} of segment {@code leaf}. */
    BytesRef id(int leaf, int doc) throws IOException {
        SortedSetDocValues dv = ids[leaf];
        if (dv == null || dv.docID() >= doc) { // doc values only go forward
            dv = ids[leaf] = DocValues.getSortedSet(leaves[leaf], InternalFields.ID);
        }
        if (!dv.advanceExact(doc)) {
            throw new IllegalStateException("index entry " + doc + " of segment " + leaf + " has no "
                    + InternalFields.ID);
        }
        return dv.lookupOrd(dv.nextOrd());
    }

    void ensure(int candidates, int idBytes) {
        if (starts.length < candidates) {
            starts = java.util.Arrays.copyOf(starts, candidates);
            lengths = java.util.Arrays.copyOf(lengths, candidates);
            order = new int[candidates];
        }
        if (bytes.length < idBytes) {
            bytes = java.util.Arrays.copyOf(bytes, Math.max(bytes.length * 2, idBytes));
        }
    }
}

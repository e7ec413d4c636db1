package dev.blitdb.server.http.queries;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.blitdb.blittable.BlitDocument;
import dev.blitdb.blittable.BlitJsonWriter;
import dev.blitdb.blittable.BlitPath;
import dev.blitdb.blittable.BlitValue;
import dev.blitdb.blittable.JsonSink;
import dev.blitdb.indexing.query.rql.RqlQuery.Projection;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Writes {@code select} results: for each projection {@code "Alias": value}, read at the field's path straight
 * from the stored blittable document — the value when the path reaches one, an array when the path has
 * {@code []} (a path without one reaches at most one value), {@code null} when it reaches none — then {@code "@metadata":{"@id":"..."}}.
 * One per query (the compiled paths hold flyweights).
 */
final class ProjectionWriter {

    private static final byte[] OPEN = {'{'};
    private static final byte[] COMMA = {','};
    private static final byte[] ARRAY_OPEN = {'['};
    private static final byte[] ARRAY_CLOSE = {']'};
    private static final byte[] NULL = "null".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] METADATA = "\"@metadata\":{\"@id\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END = "\"}}".getBytes(StandardCharsets.US_ASCII);

    private final BlitPath[] paths;
    private final boolean[] eachItem;
    private final byte[][] names;
    private final BlitJsonWriter json = new BlitJsonWriter(8 * 1024);
    private JsonSink sink;
    private int seen;
    private final BlitValue single = new BlitValue();
    private final BlitPath.Visitor writer = this::writeValue;

    ProjectionWriter(List<Projection> projections) {
        paths = new BlitPath[projections.size()];
        eachItem = new boolean[projections.size()];
        names = new byte[projections.size()][];
        for (int i = 0; i < paths.length; i++) {
            String path = projections.get(i).field().path();
            paths[i] = BlitPath.compile(path);
            eachItem[i] = path.contains("[]");
            names[i] = memberName(projections.get(i).resultName());
        }
    }

    /** {@code "name":} with the name escaped. */
    private static byte[] memberName(String name) {
        byte[] escaped = JsonStringEncoder.getInstance().quoteAsUTF8(name);
        byte[] out = new byte[escaped.length + 3];
        out[0] = '"';
        System.arraycopy(escaped, 0, out, 1, escaped.length);
        out[escaped.length + 1] = '"';
        out[escaped.length + 2] = ':';
        return out;
    }

    /**
     * Writes one result. Each path is walked once: a path without {@code []} reaches at most one value (written,
     * or {@code null}); one with {@code []} is always an array, its items written as the walk reaches them. Values
     * are rendered in place from the document's segment, so a projection costs the fields it writes.
     */
    void write(BlitDocument document, String id, JsonSink out) throws IOException {
        sink = out;
        out.write(OPEN, 0, 1);
        for (int i = 0; i < paths.length; i++) {
            out.write(names[i], 0, names[i].length);
            if (!eachItem[i]) {
                if (paths[i].first(document, single)) {
                    json.write(single, true, out);
                } else {
                    out.write(NULL, 0, NULL.length);
                }
            } else {
                out.write(ARRAY_OPEN, 0, 1);
                seen = 0;
                try {
                    paths[i].forEach(document, writer);
                } catch (UncheckedIOException e) {
                    throw e.getCause();
                }
                out.write(ARRAY_CLOSE, 0, 1);
            }
            out.write(COMMA, 0, 1);
        }
        out.write(METADATA, 0, METADATA.length);
        byte[] escapedId = JsonStringEncoder.getInstance().quoteAsUTF8(id);
        out.write(escapedId, 0, escapedId.length);
        out.write(END, 0, END.length);
    }

    private void writeValue(BlitValue value) {
        try {
            if (seen++ > 0) {
                sink.write(COMMA, 0, 1);
            }
            json.write(value, true, sink);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

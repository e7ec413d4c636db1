package dev.blitdb.server.http.dump;

import java.nio.charset.StandardCharsets;

/**
 * Constants of the dump format ({@code server/EXPORT.md}): every line is one JSON object with exactly one field,
 * whose name is the record type.
 */
final class DumpFormat {

    static final String FORMAT = "BlitDB export";
    static final int VERSION = 1;
    static final String HEADER = "Header";
    static final String INDEX_DEFINITION = "IndexDefinition";
    static final String HI_LO = "HiLo";
    static final String DOCUMENT = "Document";
    static final String END = "End";
    static final byte[] DOCUMENT_PREFIX = "{\"Document\":".getBytes(StandardCharsets.UTF_8);

    private DumpFormat() {
    }
}

package dev.blitdb.indexing.manager;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Locale;
import java.util.zip.CRC32C;

/**
 * Where each index keeps its Lucene files: {@code {database}/indexes/{safe name}-{hash}}. Index names hold
 * {@code /} and are case-insensitive, so the folder name is the name with anything but letters, digits,
 * {@code -}, {@code _} and {@code .} replaced, plus a hash of the lowercased name that keeps two names that
 * differ only in those characters apart.
 */
final class IndexFolders {

    private IndexFolders() {
    }

    static Path folder(Path indexesRoot, String indexName) {
        String lower = indexName.toLowerCase(Locale.ROOT);
        StringBuilder safe = new StringBuilder(lower.length() + 9);
        for (int i = 0; i < lower.length() && safe.length() < 100; i++) {
            char c = lower.charAt(i);
            safe.append(c < 128 && (Character.isLetterOrDigit(c) || c == '-' || c == '_' || c == '.') ? c : '_');
        }
        CRC32C crc = new CRC32C();
        crc.update(lower.getBytes(StandardCharsets.UTF_8));
        safe.append('-').append(HexFormat.of().toHexDigits((int) crc.getValue()));
        return indexesRoot.resolve(safe.toString());
    }
}

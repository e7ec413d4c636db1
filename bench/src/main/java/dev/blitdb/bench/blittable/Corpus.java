package dev.blitdb.bench.blittable;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Locates the shared JSON corpora: {@code -Dblitdb.data=...}, default {@code ../shared/data} from the repo root. */
final class Corpus {
    private Corpus() {
    }

    static final String DEFAULT_DIR = "../shared/data";

    static byte[] read(String dataDir, String file) {
        Path p = Path.of(dataDir, "json-corpus", file);
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new UncheckedIOException("corpus not found at " + p.toAbsolutePath()
                    + " (run from the repository root or pass -p dataDir=/path/to/shared/data)", e);
        }
    }

    /** Removes whitespace outside strings: the exact minified form of a JSON text (numbers untouched). */
    static byte[] minify(byte[] json) {
        byte[] out = new byte[json.length];
        int n = 0;
        boolean inString = false;
        for (int i = 0; i < json.length; i++) {
            byte b = json[i];
            if (inString) {
                out[n++] = b;
                if (b == '\\') {
                    out[n++] = json[++i];
                } else if (b == '"') {
                    inString = false;
                }
            } else if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                out[n++] = b;
                inString = b == '"';
            }
        }
        return java.util.Arrays.copyOf(out, n);
    }
}

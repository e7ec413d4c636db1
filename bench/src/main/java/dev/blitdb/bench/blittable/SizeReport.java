package dev.blitdb.bench.blittable;

import dev.blitdb.blittable.BlitWriter;

/**
 * Prints blittable size / minified JSON size per corpus. Run:
 * {@code java -cp bench/target/benchmarks.jar dev.blitdb.bench.blittable.SizeReport [dataDir]}.
 */
public final class SizeReport {
    private SizeReport() {
    }

    public static void main(String[] args) {
        String dir = args.length > 0 ? args[0] : Corpus.DEFAULT_DIR;
        System.out.println("| corpus | JSON bytes | minified JSON bytes | blittable bytes | blittable / minified |");
        System.out.println("|---|---|---|---|---|");
        for (String file : new String[] {"twitter.json", "citm_catalog.json", "canada.json"}) {
            byte[] json = Corpus.read(dir, file);
            byte[] min = Corpus.minify(json);
            int blit = new BlitWriter().convert(json, 0, json.length).length();
            System.out.printf("| %s | %d | %d | %d | %.3f |%n", file, json.length, min.length, blit,
                    (double) blit / min.length);
        }
    }
}

package dev.blitdb.bench.indexing;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * The documents of the indexing benchmarks: about 1 KB of JSON each, shaped like a user record with a nested
 * address, a tag array and a prose bio. Deterministic: document {@code i} is the same in every run and mode.
 */
public final class BenchDocuments {

    static final String COLLECTION = "Users";
    private static final String[] WORDS = ("database engine memory mapped page index thread priority query "
            + "document blittable lucene kernel prefetch commit durable reader writer snapshot batch merge "
            + "segment field term range search analyzer token vector cache heap garbage collector").split(" ");

    private BenchDocuments() {
    }

    public static String id(int i) {
        return "users/" + i;
    }

    public static String name(int i) {
        return "user-" + Integer.toString(i * 7919 % 1_000_003, 36);
    }

    static int age(int i) {
        return 18 + i % 70;
    }

    static String city(int i) {
        return "City" + (i * 31 % 1000);
    }

    public static byte[] json(int i) {
        SplittableRandom r = new SplittableRandom(i);
        StringBuilder bio = new StringBuilder(800);
        while (bio.length() < 760) {
            bio.append(WORDS[r.nextInt(WORDS.length)]).append(' ');
        }
        String json = "{\"Name\":\"" + name(i) + "\",\"Age\":" + age(i) + ",\"Address\":{\"City\":\"" + city(i)
                + "\",\"Zip\":\"" + (10000 + i % 90000) + "\"},\"Tags\":[\"t" + (i % 50) + "\",\"t" + (i % 7)
                + "\"],\"Score\":" + (i % 1000) / 10.0 + ",\"Bio\":\"" + bio.toString().trim()
                + "\",\"@metadata\":{\"@collection\":\"" + COLLECTION + "\"}}";
        return json.getBytes(StandardCharsets.UTF_8);
    }

    /** The 3-field index every mode builds: Name (Keyword), Age (Long), City (Keyword, nested path). */
    static final String INDEX_JSON = "{\"Name\":\"Users/Bench\",\"Collection\":\"Users\",\"Fields\":{"
            + "\"Name\":{\"Path\":\"Name\",\"Type\":\"Keyword\"},\"Age\":{\"Path\":\"Age\",\"Type\":\"Long\"},"
            + "\"City\":{\"Path\":\"Address.City\",\"Type\":\"Keyword\"}},\"Priority\":\"Normal\"}";
}

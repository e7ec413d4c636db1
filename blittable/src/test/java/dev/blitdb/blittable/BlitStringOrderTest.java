package dev.blitdb.blittable;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link BlitString#compareTo} against Java's own order over random strings — plain and LZ4-compressed, ASCII and
 * not, many sharing long prefixes so comparisons run deep — and without allocating.
 */
class BlitStringOrderTest {

    /** Letters that cost 1, 2, 3 and 4 UTF-8 bytes; the last is a surrogate pair in Java. */
    private static final String[] ALPHABET = {"a", "b", "z", "~", "\u00e9", "\u00ff", "\u2603", "\u4e2d", "\uffe0",
        "\ud83d\ude00"};

    @Test
    void shouldOrderLikeJavaStringsWhenOperandsArePlainOrCompressedAndNotAscii() {
        int compressed = 0;
        int plain = 0;
        for (long seed = 1; seed <= 12; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            List<String> strings = strings(random, 40);
            BlitString[] views = views(strings);
            for (BlitString v : views) {
                if (v.isCompressed()) {
                    compressed++;
                } else {
                    plain++;
                }
            }
            for (int i = 0; i < views.length; i++) {
                for (int j = 0; j < views.length; j++) {
                    int expected = Integer.signum(javaOrder(strings.get(i), strings.get(j)));
                    int actual = Integer.signum(views[i].compareTo(views[j]));
                    int fi = i;
                    int fj = j;
                    assertEquals(expected, actual, () -> "seed-order of [" + strings.get(fi) + "] ("
                            + (views[fi].isCompressed() ? "compressed" : "plain") + ") vs [" + strings.get(fj) + "] ("
                            + (views[fj].isCompressed() ? "compressed" : "plain") + ")");
                }
            }
        }
        assertTrue(compressed > 100 && plain > 100, compressed + " compressed, " + plain + " plain operands");
    }

    @Test
    void shouldAllocateNothingWhenComparingCompressedStrings() {
        List<String> strings = strings(new SplittableRandom(7), 40);
        BlitString[] views = views(strings);
        int sum = 0;
        for (int round = 0; round < 200; round++) { // warm: the per-thread scratch arrays reach their size
            sum += compareAll(views);
        }
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int round = 0; round < 50; round++) {
            sum += compareAll(views);
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        int comparisons = 50 * views.length * views.length;
        assertTrue(allocated < 4096, allocated + " bytes allocated over " + comparisons + " comparisons (" + sum + ")");
    }

    private static int compareAll(BlitString[] views) {
        int sum = 0;
        for (BlitString a : views) {
            for (BlitString b : views) {
                sum += Integer.signum(a.compareTo(b));
            }
        }
        return sum;
    }

    /**
     * Java's order of the code points, which is UTF-8's byte order: {@link String#compareTo} (UTF-16 units) agrees
     * with it unless a surrogate pair meets a unit above U+D7FF, so it is the oracle whenever that cannot happen.
     */
    private static int javaOrder(String a, String b) {
        boolean surrogates = a.chars().anyMatch(c -> Character.isSurrogate((char) c))
                || b.chars().anyMatch(c -> Character.isSurrogate((char) c));
        if (!surrogates) {
            return a.compareTo(b);
        }
        int[] x = a.codePoints().toArray();
        int[] y = b.codePoints().toArray();
        return java.util.Arrays.compare(x, y);
    }

    /** Random strings, short and long (long ones repeat a pattern, so they compress), and near-copies of them. */
    private static List<String> strings(SplittableRandom random, int count) {
        List<String> out = new ArrayList<>();
        while (out.size() < count) {
            String base = random.nextInt(3) == 0 ? word(random, random.nextInt(0, 40))
                    : word(random, random.nextInt(2, 12)).repeat(random.nextInt(20, 60)) + word(random, 5);
            out.add(base);
            switch (random.nextInt(4)) {
                case 0 -> out.add(base + word(random, 1 + random.nextInt(3)));
                case 1 -> out.add(base.isEmpty() ? base : base.substring(0, base.offsetByCodePoints(0,
                        random.nextInt(base.codePointCount(0, base.length())))));
                case 2 -> {
                    int cut = base.offsetByCodePoints(0, random.nextInt(base.codePointCount(0, base.length()) + 1));
                    out.add(base.substring(0, cut) + word(random, 1) + base.substring(cut));
                }
                default -> out.add(word(random, 1) + base);
            }
        }
        return out;
    }

    private static String word(SplittableRandom random, int letters) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < letters; i++) {
            b.append(ALPHABET[random.nextInt(ALPHABET.length)]);
        }
        return b.toString();
    }

    /** One document holding every string, and a view of each. */
    private static BlitString[] views(List<String> strings) {
        StringBuilder json = new StringBuilder("[");
        for (int i = 0; i < strings.size(); i++) {
            json.append(i == 0 ? "\"" : ",\"").append(strings.get(i)).append('"');
        }
        BlitDocument doc = Json.doc(json.append(']').toString());
        BlitArray array = doc.root(new BlitValue()).asArray(new BlitArray());
        BlitString[] views = new BlitString[strings.size()];
        for (int i = 0; i < views.length; i++) {
            views[i] = array.getString(i, new BlitString());
            assertEquals(strings.get(i), views[i].toString());
        }
        return views;
    }
}

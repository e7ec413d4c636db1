package dev.blitdb.blittable;

import java.util.SplittableRandom;

/** Seeded generator of random, valid JSON text that stresses the format's corners. */
final class RandomJson {
    private final SplittableRandom random;
    private final StringBuilder out = new StringBuilder();
    private static final String[] NUMBERS = {
        "0", "-0", "-0.0", "0.1", "1e400", "-1E-400", "1.5e-300", "12345678901234567890", "-98765432109876543210",
        "9223372036854775807", "-9223372036854775808", "9223372036854775808", "1.0", "1.00", "2.5E+10", "1e2",
        "0.000001", "0.0000001", "123456789012345678901234567890.5", "4.9e-324", "1.7976931348623157e308",
        "-65.613616999999977", "100", "0e0", "3.141592653589793238462643383279"};

    RandomJson(long seed) {
        random = new SplittableRandom(seed);
    }

    String document(int maxDepth) {
        out.setLength(0);
        object(maxDepth);
        return out.toString();
    }

    private void value(int depth) {
        int pick = random.nextInt(depth <= 0 ? 6 : 9);
        switch (pick) {
            case 0 -> out.append("null");
            case 1 -> out.append(random.nextBoolean());
            case 2 -> number();
            case 3, 4 -> string();
            case 5 -> out.append(random.nextLong(-1000, 1000));
            case 6, 7 -> object(depth - 1);
            default -> array(depth - 1);
        }
    }

    private void number() {
        switch (random.nextInt(5)) {
            case 0 -> out.append(NUMBERS[random.nextInt(NUMBERS.length)]);
            case 1 -> out.append(random.nextLong());
            case 2 -> {
                double d = Double.longBitsToDouble(random.nextLong());
                out.append(Double.isFinite(d) ? Double.toString(d) : "1.25");
            }
            case 3 -> out.append(random.nextInt(-99999, 99999)).append('.').append(random.nextInt(0, 1000000));
            default -> out.append(random.nextInt(1, 10)).append(random.nextBoolean() ? "e" : "E")
                    .append(random.nextBoolean() ? "-" : "+").append(random.nextInt(0, 400));
        }
    }

    void object(int depth) {
        int n = switch (random.nextInt(10)) {
            case 0 -> 0;
            case 1 -> 1;
            default -> random.nextInt(2, 9);
        };
        out.append('{');
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                out.append(',');
            }
            if (random.nextInt(20) == 0) {
                quoted("k" + random.nextInt(3)); // sometimes duplicates
            } else if (random.nextInt(5) == 0) {
                string();
            } else {
                quoted("p" + random.nextInt(1000));
            }
            out.append(':');
            value(depth);
        }
        out.append('}');
    }

    private void array(int depth) {
        int n = random.nextInt(10) == 0 ? 0 : random.nextInt(1, 7);
        out.append('[');
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                out.append(',');
            }
            value(depth);
        }
        out.append(']');
    }

    private void quoted(String s) {
        out.append('"').append(s).append('"');
    }

    private void string() {
        out.append('"');
        int kind = random.nextInt(10);
        if (kind == 0) {
            // Long and repetitive: compresses.
            String unit = "lorem ipsum \\\"dolor\\\" ";
            int n = random.nextInt(8, 100);
            for (int i = 0; i < n; i++) {
                out.append(unit);
            }
        } else if (kind == 1) {
            // Long and random: does not compress.
            int n = random.nextInt(130, 600);
            for (int i = 0; i < n; i++) {
                char c = (char) random.nextInt(0x20, 0x7F);
                out.append(c == '"' || c == '\\' ? 'q' : c);
            }
        } else {
            int n = random.nextInt(0, 24);
            for (int i = 0; i < n; i++) {
                switch (random.nextInt(12)) {
                    case 0 -> out.append("\\n");
                    case 1 -> out.append("\\\"");
                    case 2 -> out.append("\\\\");
                    case 3 -> out.append(String.format("\\u%04x", random.nextInt(0, 0x20)));
                    case 4 -> out.appendCodePoint(random.nextInt(0x10000, 0x110000)); // surrogate pair in UTF-16
                    case 5 -> out.append("\\ud83d\\ude00"); // escaped pair
                    case 6 -> out.append((char) random.nextInt(0x80, 0xD800));
                    case 7 -> out.append("\\u00e9/\\/");
                    default -> out.append((char) random.nextInt('a', 'z' + 1));
                }
            }
        }
        out.append('"');
    }
}

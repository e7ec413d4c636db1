package dev.blitdb.server.metrics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text exposition format 0.0.4, for tests: every line must be a comment, a
 * {@code # HELP}, a {@code # TYPE} given before the family's first sample and at most once, or a sample
 * {@code name{label="value",...} value}; names and label names must match the format's grammar, label values
 * use only the three escapes, samples of one family stay together, histograms have ascending {@code le} buckets
 * with non-decreasing counts ending in {@code +Inf} equal to {@code _count}. Anything else throws, naming the line.
 */
final class PrometheusText {

    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final List<String> TYPES = List.of("counter", "gauge", "histogram", "summary", "untyped");

    record Sample(String name, Map<String, String> labels, double value) {
    }

    final Map<String, String> types = new HashMap<>();
    final Map<String, String> help = new HashMap<>();
    final List<Sample> samples = new ArrayList<>();

    static PrometheusText parse(String text) {
        PrometheusText out = new PrometheusText();
        if (!text.isEmpty() && !text.endsWith("\n")) {
            throw new IllegalArgumentException("the exposition must end with a line feed");
        }
        String family = null;
        java.util.Set<String> closed = new java.util.HashSet<>();
        String[] lines = text.split("\n", -1);
        for (int n = 0; n < lines.length - 1; n++) {
            String line = lines[n];
            String where = "line " + (n + 1) + ": " + line;
            if (line.startsWith("#")) {
                String[] parts = line.split(" ", 4);
                if (parts.length >= 3 && (parts[1].equals("HELP") || parts[1].equals("TYPE"))) {
                    require(NAME.matcher(parts[2]).matches(), "bad metric name", where);
                    if (parts[1].equals("TYPE")) {
                        require(parts.length == 4 && TYPES.contains(parts[3]), "bad type", where);
                        require(out.types.put(parts[2], parts[3]) == null, "second TYPE", where);
                        require(out.samples.stream().noneMatch(s -> familyOf(s.name, out.types).equals(parts[2])),
                                "TYPE after samples", where);
                    } else {
                        require(out.help.put(parts[2], parts.length == 4 ? parts[3] : "") == null, "second HELP",
                                where);
                    }
                }
                continue;
            }
            require(!line.isEmpty(), "empty line", where);
            Sample s = sample(line, where);
            String f = familyOf(s.name, out.types);
            if (!f.equals(family)) {
                require(!closed.contains(f), "samples of family " + f + " are not together", where);
                if (family != null) {
                    closed.add(family);
                }
                family = f;
            }
            out.samples.add(s);
        }
        out.checkHistograms();
        return out;
    }

    private static String familyOf(String sample, Map<String, String> types) {
        for (String suffix : List.of("_bucket", "_count", "_sum")) {
            if (sample.endsWith(suffix)) {
                String base = sample.substring(0, sample.length() - suffix.length());
                if ("histogram".equals(types.get(base)) || "summary".equals(types.get(base))) {
                    return base;
                }
            }
        }
        return sample;
    }

    private static Sample sample(String line, String where) {
        int i = 0;
        while (i < line.length() && line.charAt(i) != '{' && line.charAt(i) != ' ') {
            i++;
        }
        String name = line.substring(0, i);
        require(NAME.matcher(name).matches(), "bad metric name '" + name + "'", where);
        Map<String, String> labels = new LinkedHashMap<>();
        if (i < line.length() && line.charAt(i) == '{') {
            i++;
            while (line.charAt(i) != '}') {
                int eq = line.indexOf('=', i);
                require(eq > 0, "label without '='", where);
                String label = line.substring(i, eq);
                require(LABEL.matcher(label).matches(), "bad label name '" + label + "'", where);
                require(line.charAt(eq + 1) == '"', "label value not quoted", where);
                StringBuilder value = new StringBuilder();
                int j = eq + 2;
                for (; line.charAt(j) != '"'; j++) {
                    char c = line.charAt(j);
                    if (c == '\\') {
                        char e = line.charAt(++j);
                        require(e == '\\' || e == '"' || e == 'n', "bad escape \\" + e, where);
                        value.append(e == 'n' ? '\n' : e);
                    } else {
                        value.append(c);
                    }
                }
                require(labels.put(label, value.toString()) == null, "label " + label + " twice", where);
                i = j + 1;
                if (line.charAt(i) == ',') {
                    i++;
                }
            }
            i++;
        }
        require(i < line.length() && line.charAt(i) == ' ', "no space before the value", where);
        String[] rest = line.substring(i + 1).split(" ");
        require(rest.length == 1 || rest.length == 2, "trailing garbage", where);
        double value = switch (rest[0]) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> {
                try {
                    yield Double.parseDouble(rest[0]);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("bad value '" + rest[0] + "' at " + where);
                }
            }
        };
        if (rest.length == 2) {
            Long.parseLong(rest[1]);
        }
        return new Sample(name, labels, value);
    }

    private void checkHistograms() {
        types.forEach((family, type) -> {
            if (!type.equals("histogram")) {
                return;
            }
            Map<Map<String, String>, List<Sample>> buckets = new LinkedHashMap<>();
            for (Sample s : samples) {
                if (s.name.equals(family + "_bucket")) {
                    var key = new LinkedHashMap<>(s.labels);
                    require(key.remove("le") != null, "bucket without le", family);
                    buckets.computeIfAbsent(key, k -> new ArrayList<>()).add(s);
                }
            }
            buckets.forEach((labels, list) -> {
                double le = Double.NEGATIVE_INFINITY;
                double count = 0;
                for (Sample b : list) {
                    double bound = b.labels.get("le").equals("+Inf") ? Double.POSITIVE_INFINITY
                            : Double.parseDouble(b.labels.get("le"));
                    require(bound > le, "buckets not ascending", family + labels);
                    require(b.value >= count, "bucket counts decrease", family + labels);
                    le = bound;
                    count = b.value;
                }
                require(le == Double.POSITIVE_INFINITY, "no +Inf bucket", family + labels);
                double total = value(family + "_count", labels);
                require(total == count, "+Inf bucket " + count + " != _count " + total, family + labels);
            });
        });
    }

    /** The value of the one sample with exactly these labels; throws when there is none. */
    double value(String name, Map<String, String> labels) {
        return samples.stream().filter(s -> s.name.equals(name) && s.labels.equals(labels)).findFirst()
                .orElseThrow(() -> new AssertionError("no sample " + name + labels)).value;
    }

    double value(String name, String... labelPairs) {
        Map<String, String> labels = new LinkedHashMap<>();
        for (int i = 0; i < labelPairs.length; i += 2) {
            labels.put(labelPairs[i], labelPairs[i + 1]);
        }
        return value(name, labels);
    }

    private static void require(boolean ok, String what, String where) {
        if (!ok) {
            throw new IllegalArgumentException(what + " at " + where);
        }
    }
}

package dev.blitdb.server.databases;

import java.util.List;

/**
 * Whether a server can serve every database it has, for {@code GET /health/ready}: not while it is still finding
 * its databases ({@code starting}), while any is opening ({@code loading}) or failed to open ({@code failed}), or
 * while the server is shutting down ({@code closing}).
 *
 * @param failed one entry per database that failed to open, with the reason
 */
public record Readiness(boolean starting, List<String> loading, List<Failed> failed, boolean closing) {

    /** A database that failed to open, and why. */
    public record Failed(String name, String reason) {
    }

    public Readiness {
        loading = List.copyOf(loading);
        failed = List.copyOf(failed);
    }

    public boolean ready() {
        return !starting && !closing && loading.isEmpty() && failed.isEmpty();
    }

    /** One sentence saying what is not ready, e.g. "database 'shop' is still opening". */
    public String explanation() {
        if (ready()) {
            return "every database is online";
        }
        StringBuilder why = new StringBuilder("not ready: ");
        if (closing) {
            why.append("the server is shutting down");
        } else if (starting) {
            why.append("the server is still finding its databases");
        } else {
            if (!loading.isEmpty()) {
                why.append(loading.size() == 1 ? "database '" + loading.getFirst() + "' is"
                        : "databases " + quoted(loading) + " are").append(" still opening");
            }
            for (Failed f : failed) {
                why.append(why.length() > "not ready: ".length() ? "; " : "")
                        .append("database '").append(f.name()).append("' failed to open: ").append(f.reason());
            }
        }
        return why.toString();
    }

    private static String quoted(List<String> names) {
        return String.join(", ", names.stream().map(n -> "'" + n + "'").toList());
    }
}

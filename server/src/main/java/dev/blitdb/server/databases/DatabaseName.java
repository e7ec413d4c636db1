package dev.blitdb.server.databases;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A database name, checked. Rules: 1 to {@value #MAX_LENGTH} characters, ASCII letters, digits, {@code _} and
 * {@code -}, starting with a letter or a digit. Names are case-insensitive ({@code Shop} and {@code shop} are the
 * same database) and keep the casing they were created with.
 *
 * <p>Why so strict: the name is also the database's folder under {@code --data-dir}. With no dots, slashes or
 * leading dashes it can never escape that folder ({@code ..}), hide ({@code .x}), look like a flag, or collide
 * with the server's own entries there (which start with a dot). ASCII keeps it portable to case-insensitive
 * file systems, where only the lowercase {@link #key()} is unique.
 */
public record DatabaseName(String value) {

    public static final int MAX_LENGTH = 64;
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]*");

    public DatabaseName {
        String problem = problem(value);
        if (problem != null) {
            throw new InvalidDatabaseNameException(problem);
        }
    }

    /** The name's case-insensitive identity. */
    public String key() {
        return value.toLowerCase(Locale.ROOT);
    }

    /** Whether {@code value} is a valid name (for skipping foreign folders without an exception). */
    public static boolean isValid(String value) {
        return problem(value) == null;
    }

    private static String problem(String value) {
        if (value == null || value.isEmpty()) {
            return "database name is missing; give ?name= with 1.." + MAX_LENGTH
                    + " letters, digits, '_' or '-'";
        }
        if (value.length() > MAX_LENGTH) {
            return "database name is " + value.length() + " characters, over the limit of " + MAX_LENGTH;
        }
        if (!VALID.matcher(value).matches()) {
            return "database name '" + printable(value) + "' is not allowed: use ASCII letters, digits, '_' and '-', "
                    + "starting with a letter or a digit";
        }
        return null;
    }

    private static String printable(String value) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < value.length() && i < MAX_LENGTH + 8; i++) {
            char c = value.charAt(i);
            out.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return value;
    }
}

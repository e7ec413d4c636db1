package dev.blitdb.server.security.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * API key text: {@code <id>.<secret>}. A generated key has a 12-hex-digit public id (48 random bits, used to
 * find the key) and a 43-character base64url secret (256 random bits). A bootstrap key supplied by an operator
 * may use its own id (1-32 of {@code A-Z a-z 0-9 _ -}) but needs a secret of at least 32 characters.
 * Only the SHA-256 of the whole key text is stored: the key has 256 bits of entropy, so a slow hash would add
 * nothing, and it is computed on every request.
 */
public final class ApiKeys {

    public static final int MAX_ID_LENGTH = 32;
    public static final int MIN_SECRET_LENGTH = 32;
    public static final int MAX_KEY_LENGTH = 256;

    private static final SecureRandom RANDOM = new SecureRandom();

    /** A new key: its id and full text. */
    public record NewKey(String id, String text) {
    }

    private ApiKeys() {
    }

    public static NewKey generate() {
        byte[] id = new byte[6];
        byte[] secret = new byte[32];
        RANDOM.nextBytes(id);
        RANDOM.nextBytes(secret);
        String idText = HexFormat.of().formatHex(id);
        return new NewKey(idText, idText + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(secret));
    }

    /** The id of a well-formed key text, or an exception saying what is wrong (bootstrap keys). */
    public static String checkedId(String key) {
        int dot = key.indexOf('.');
        if (dot < 1 || dot > MAX_ID_LENGTH || !validIdChars(key, 0, dot)) {
            throw new IllegalArgumentException("an API key is <id>.<secret> with an id of 1-" + MAX_ID_LENGTH
                    + " letters, digits, '_' or '-'");
        }
        int secret = key.length() - dot - 1;
        if (secret < MIN_SECRET_LENGTH || key.length() > MAX_KEY_LENGTH || !printable(key, dot + 1, key.length())) {
            throw new IllegalArgumentException("an API key's secret (after the '.') must be " + MIN_SECRET_LENGTH
                    + "+ printable ASCII characters without spaces (the key at most " + MAX_KEY_LENGTH
                    + "), e.g. admin.$(openssl rand -base64 32 | tr '+/' '-_' | tr -d '=')");
        }
        return key.substring(0, dot);
    }

    public static byte[] hash(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static boolean validIdChars(CharSequence s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    static boolean printable(CharSequence s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c <= ' ' || c > '~') {
                return false;
            }
        }
        return true;
    }
}

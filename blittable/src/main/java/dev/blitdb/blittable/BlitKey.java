package dev.blitdb.blittable;

import java.nio.charset.StandardCharsets;

/**
 * A property name prepared for lookups: its UTF-8 bytes and hash, computed once. Keep keys in constants or fields
 * ({@code static final BlitKey USER = BlitKey.of("user")}) so repeated lookups never re-encode the name.
 * Thread-safe: its name and bytes never change, and its one piece of mutable state — a lookup hint, see
 * {@code hints} — is verified on every use, so racing threads can only cost each other a binary search. Also usable
 * as an expected string value in {@link BlitString#equalsKey}.
 */
public final class BlitKey {
    final byte[] utf8;
    /** The UTF-8 bytes as big-endian 8-byte words, zero-padded: lookups compare 8 bytes per step. */
    final long[] words;
    private final String name;
    private final int hash;
    /**
     * Where this key was last found, per object size (mod 8): documents of one collection share shapes, so the next
     * lookup usually hits the same sorted index and costs one comparison instead of a binary search. Only a hint —
     * always verified — so the benign data race between threads sharing a key cannot give a wrong answer.
     */
    final int[] hints = new int[8];

    private BlitKey(String name, byte[] utf8) {
        this.name = name;
        this.utf8 = utf8;
        this.hash = BlitString.hash(utf8, 0, utf8.length);
        this.words = new long[(utf8.length + 7) / 8];
        for (int i = 0; i < utf8.length; i++) {
            words[i >>> 3] |= (utf8[i] & 0xFFL) << (56 - 8 * (i & 7));
        }
    }

    public static BlitKey of(String name) {
        byte[] tmp = new byte[name.length() * 3];
        long r = Utf8.encode(name, tmp, 0);
        if (r == Utf8.UNPAIRED_SURROGATE) {
            throw new IllegalArgumentException("key has an unpaired surrogate: " + name);
        }
        return new BlitKey(name, java.util.Arrays.copyOf(tmp, (int) r));
    }

    /** A key from UTF-8 bytes (copied); the bytes must be valid UTF-8. */
    public static BlitKey ofUtf8(byte[] utf8) {
        if (Utf8.firstInvalid(utf8, 0, utf8.length) >= 0) {
            throw new IllegalArgumentException("key is not valid UTF-8");
        }
        return new BlitKey(new String(utf8, StandardCharsets.UTF_8), utf8.clone());
    }

    public String name() {
        return name;
    }

    /** Length in UTF-8 bytes. */
    public int length() {
        return utf8.length;
    }

    /** Equal to {@link BlitString#hash()} of a string with the same content. */
    public int hash() {
        return hash;
    }

    @Override
    public String toString() {
        return name;
    }
}

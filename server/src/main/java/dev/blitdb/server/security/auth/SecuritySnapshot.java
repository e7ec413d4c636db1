package dev.blitdb.server.security.auth;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Every registered principal at one moment, immutable, replaced as a whole when the security store changes
 * (so a request sees either the old or the new set, and a deleted key is refused from the next request on).
 * Lookups allocate nothing: API keys are found by their id straight from the header's characters in a small
 * open-addressing table; certificates by thumbprint in a map keyed by the string cached on the connection.
 */
public final class SecuritySnapshot {

    /** A registered key: whom it stands for and the SHA-256 of its text. */
    public record ApiKeyEntry(Principal principal, byte[] hash) {
    }

    public static final SecuritySnapshot EMPTY = new SecuritySnapshot(List.of(), List.of());

    private final ApiKeyEntry[] keySlots;
    private final int keyMask;
    private final Map<String, Principal> certificates;
    private final List<ApiKeyEntry> keys;
    private final List<Principal> certificateList;

    public SecuritySnapshot(List<ApiKeyEntry> keys, List<Principal> certificates) {
        this.keys = List.copyOf(keys);
        this.certificateList = List.copyOf(certificates);
        int capacity = Integer.highestOneBit(Math.max(4, keys.size() * 2 - 1)) << 1;
        this.keySlots = new ApiKeyEntry[capacity];
        this.keyMask = capacity - 1;
        for (ApiKeyEntry key : keys) {
            String id = key.principal().id();
            int slot = hash(id, 0, id.length()) & keyMask;
            while (keySlots[slot] != null) {
                slot = (slot + 1) & keyMask;
            }
            keySlots[slot] = key;
        }
        Map<String, Principal> byThumbprint = new HashMap<>();
        certificates.forEach(p -> byThumbprint.put(p.id(), p));
        this.certificates = Map.copyOf(byThumbprint);
    }

    public boolean isEmpty() {
        return keys.isEmpty() && certificates.isEmpty();
    }

    public List<ApiKeyEntry> apiKeys() {
        return keys;
    }

    public List<Principal> certificates() {
        return certificateList;
    }

    /** The key whose id is {@code text[from, to)}, or null. */
    public ApiKeyEntry apiKey(CharSequence text, int from, int to) {
        int slot = hash(text, from, to) & keyMask;
        ApiKeyEntry entry;
        while ((entry = keySlots[slot]) != null) {
            String id = entry.principal().id();
            if (id.length() == to - from && regionEquals(id, text, from)) {
                return entry;
            }
            slot = (slot + 1) & keyMask;
        }
        return null;
    }

    /** The principal of the certificate with this SHA-256 thumbprint (upper-case hex), or null. */
    public Principal certificate(String thumbprint) {
        return certificates.get(thumbprint);
    }

    private static boolean regionEquals(String id, CharSequence text, int from) {
        for (int i = 0; i < id.length(); i++) {
            if (id.charAt(i) != text.charAt(from + i)) {
                return false;
            }
        }
        return true;
    }

    private static int hash(CharSequence s, int from, int to) {
        int h = 0;
        for (int i = from; i < to; i++) {
            h = 31 * h + s.charAt(i);
        }
        return h ^ (h >>> 16);
    }
}

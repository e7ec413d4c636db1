package dev.blitdb.server.security.auth;

import dev.blitdb.server.security.tls.Pem;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.SSLSessionInfo;
import io.undertow.util.AttachmentKey;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;

import javax.net.ssl.SSLPeerUnverifiedException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.function.Supplier;

/**
 * Finds the principal of a request: an {@code Authorization: Bearer <key>} header if there is one, else the
 * client certificate of the TLS connection. Answers one of the registered {@link Principal}s, or
 * {@link #NO_CREDENTIAL} / {@link #BAD_CREDENTIAL} (the HTTP answer is the same 401 for both; only the second
 * counts as a failed attempt).
 *
 * <p>Allocation-free on success (it runs on the IO thread before the GET fast path): the key's characters are
 * copied into a per-thread buffer, hashed with a per-thread SHA-256 into a per-thread array, and compared with
 * {@link MessageDigest#isEqual} (constant time). The client certificate's thumbprint is computed once per
 * connection and cached on it (HTTP/2 included: its streams share the connection's attachments); whether it is
 * still registered is looked up on every request.
 */
public final class Authenticator {

    public static final Principal NO_CREDENTIAL = new Principal("None", "", "no credential", Clearance.USER,
            java.util.Map.of());
    public static final Principal BAD_CREDENTIAL = new Principal("None", "", "refused credential", Clearance.USER,
            java.util.Map.of());

    private static final AttachmentKey<PeerCertificate> PEER = AttachmentKey.create(PeerCertificate.class);
    private static final PeerCertificate NO_PEER = new PeerCertificate(null, Long.MAX_VALUE);
    private static final String BEARER = "Bearer ";

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private final Supplier<SecuritySnapshot> snapshot;
    private final java.util.Map<String, Principal> clusterNodes;
    private final java.util.concurrent.atomic.LongAdder peerReads = new java.util.concurrent.atomic.LongAdder();

    public Authenticator(Supplier<SecuritySnapshot> snapshot) {
        this(snapshot, java.util.Map.of());
    }

    /**
     * @param clusterNodes the certificates of a cluster's nodes by thumbprint ({@code --cluster-certs}): principals
     *                     fixed at start, not in the security store, so a node's calls to its peers authenticate
     *                     before anyone registered anything
     */
    public Authenticator(Supplier<SecuritySnapshot> snapshot, java.util.Map<String, Principal> clusterNodes) {
        this.snapshot = snapshot;
        this.clusterNodes = java.util.Map.copyOf(clusterNodes);
    }

    private record PeerCertificate(String thumbprint, long notAfterMillis) {
    }

    private static final class Scratch {
        final MessageDigest sha256;
        final byte[] key = new byte[ApiKeys.MAX_KEY_LENGTH];
        final byte[] hash = new byte[32];

        Scratch() {
            try {
                sha256 = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /**
     * How many times a TLS connection's client certificate was read and hashed: once per connection (an HTTP/2
     * connection's attachments live on the connection, not on each stream), for {@code /metrics}.
     */
    public long peerCertificateReads() {
        return peerReads.sum();
    }

    public Principal authenticate(HttpServerExchange exchange) {
        HeaderValues authorization = exchange.getRequestHeaders().get(Headers.AUTHORIZATION);
        if (authorization != null) {
            return authorization.size() == 1 ? bearer(authorization.getFirst()) : BAD_CREDENTIAL;
        }
        return certificate(exchange);
    }

    private Principal bearer(String header) {
        int length = header.length();
        if (length <= BEARER.length() || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return BAD_CREDENTIAL;
        }
        int start = BEARER.length();
        while (start < length && header.charAt(start) == ' ') {
            start++;
        }
        int end = length;
        while (end > start && header.charAt(end - 1) == ' ') {
            end--;
        }
        int keyLength = end - start;
        if (keyLength <= 0 || keyLength > ApiKeys.MAX_KEY_LENGTH) {
            return BAD_CREDENTIAL;
        }
        int dot = header.indexOf('.', start);
        if (dot < 0 || dot >= end) {
            return BAD_CREDENTIAL;
        }
        SecuritySnapshot.ApiKeyEntry entry = snapshot.get().apiKey(header, start, dot);
        Scratch scratch = SCRATCH.get();
        byte[] key = scratch.key;
        for (int i = 0; i < keyLength; i++) {
            key[i] = (byte) header.charAt(start + i); // non-ASCII bytes just fail to match
        }
        // Hash even when the id is unknown, so the answer takes the same time either way.
        MessageDigest sha256 = scratch.sha256;
        sha256.update(key, 0, keyLength);
        try {
            sha256.digest(scratch.hash, 0, 32);
        } catch (java.security.DigestException e) {
            throw new IllegalStateException(e);
        }
        if (entry == null) {
            return BAD_CREDENTIAL;
        }
        return MessageDigest.isEqual(scratch.hash, entry.hash()) ? entry.principal() : BAD_CREDENTIAL;
    }

    private Principal certificate(HttpServerExchange exchange) {
        var connection = exchange.getConnection();
        PeerCertificate peer = connection.getAttachment(PEER);
        if (peer == null) {
            SSLSessionInfo session = connection.getSslSessionInfo();
            if (session != null) {
                peerReads.increment();
            }
            peer = peerOf(session);
            connection.putAttachment(PEER, peer);
        }
        if (peer.thumbprint() == null) {
            return NO_CREDENTIAL;
        }
        if (System.currentTimeMillis() > peer.notAfterMillis()) {
            return BAD_CREDENTIAL; // expired while the connection stayed open
        }
        Principal principal = snapshot.get().certificate(peer.thumbprint());
        if (principal == null) {
            principal = clusterNodes.get(peer.thumbprint());
        }
        return principal == null ? BAD_CREDENTIAL : principal;
    }

    private static PeerCertificate peerOf(SSLSessionInfo session) {
        if (session == null) {
            return NO_PEER;
        }
        try {
            Certificate[] chain = session.getPeerCertificates();
            if (chain == null || chain.length == 0 || !(chain[0] instanceof X509Certificate leaf)) {
                return NO_PEER;
            }
            return new PeerCertificate(Pem.thumbprint(leaf), leaf.getNotAfter().getTime());
        } catch (SSLPeerUnverifiedException | io.undertow.server.RenegotiationRequiredException e) {
            return NO_PEER; // the client sent no certificate (API-key clients)
        } catch (RuntimeException e) {
            return NO_PEER;
        }
    }
}

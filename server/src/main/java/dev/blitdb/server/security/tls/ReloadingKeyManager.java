package dev.blitdb.server.security.tls;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;

/**
 * The server's key manager, whose certificate can be replaced while the server runs: handshakes read the
 * current {@link Identity} once, so one that started with the old certificate finishes with it and every later
 * one gets the new one. Only the server side is used.
 */
final class ReloadingKeyManager extends X509ExtendedKeyManager {

    static final String ALIAS = "blitdb-server";

    /** One certificate chain and its key. */
    record Identity(PrivateKey key, X509Certificate[] chain) {
        String keyType() {
            return key.getAlgorithm();
        }
    }

    private volatile Identity identity;

    ReloadingKeyManager(Identity identity) {
        this.identity = identity;
    }

    void replace(Identity next) {
        identity = next;
    }

    Identity identity() {
        return identity;
    }

    private String aliasFor(String keyType) {
        Identity current = identity;
        String type = current.keyType();
        // JSSE asks with "EC" / "RSA" (TLS 1.3 and 1.2 server side) or "EC_EC" / "ECDHE_RSA" style names.
        return keyType == null || keyType.equals(type) || keyType.startsWith(type + "_")
                || keyType.endsWith("_" + type) ? ALIAS : null;
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return aliasFor(keyType);
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return aliasFor(keyType);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        String alias = aliasFor(keyType);
        return alias == null ? null : new String[] {alias};
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        return ALIAS.equals(alias) ? identity.chain().clone() : null;
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        return ALIAS.equals(alias) ? identity.key() : null;
    }

    // The client side: a cluster node presents the same certificate when it calls a peer (mutual TLS).
    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        String alias = aliasFor(keyType);
        return alias == null ? null : new String[] {alias};
    }

    @Override
    public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
        for (String keyType : keyTypes) {
            String alias = aliasFor(keyType);
            if (alias != null) {
                return alias;
            }
        }
        return null;
    }

    @Override
    public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
        return chooseClientAlias(keyTypes, issuers, null);
    }
}

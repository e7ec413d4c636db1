package dev.blitdb.server.config;

import dev.blitdb.server.security.tls.TlsFiles;

/**
 * The security settings of a server.
 *
 * @param tls             the certificate files; null = plain HTTP
 * @param requireAuth     {@code --require-auth}: authentication on every listener, loopback included
 * @param bootstrapApiKey {@code BLITDB_BOOTSTRAP_API_KEY} or the content of {@code --bootstrap-api-key-file}:
 *                        registered as a ClusterAdmin key when the security store has no principal yet; null = none
 * @param plainLoopbackPort with TLS, an extra plain-HTTP listener on 127.0.0.1 ({@code --plain-loopback-port},
 *                        for sidecars and local tools; authentication applies there too); -1 = none
 */
public record SecurityOptions(TlsFiles tls, boolean requireAuth, String bootstrapApiKey, int plainLoopbackPort) {

    public static final SecurityOptions NONE = new SecurityOptions(null, false, null, -1);

    @Override
    public String toString() {
        return "SecurityOptions[tls=" + tls + ", requireAuth=" + requireAuth + ", bootstrapApiKey="
                + (bootstrapApiKey == null ? "none" : "(set)") + ", plainLoopbackPort=" + plainLoopbackPort + "]";
    }

    /**
     * Whether requests must authenticate: with {@code --require-auth}, and always on a TLS listener reachable from
     * other machines (unless {@code --allow-unsecured-public} opted out of the secure default).
     */
    public boolean authenticationEnforced(boolean loopbackBind, boolean allowUnsecuredPublic) {
        return requireAuth || (!loopbackBind && !allowUnsecuredPublic);
    }
}

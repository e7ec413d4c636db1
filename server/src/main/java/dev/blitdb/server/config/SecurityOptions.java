package dev.blitdb.server.config;

import dev.blitdb.server.security.tls.TlsEngine;
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
 * @param tlsEngine       {@code --tls-engine}: the HTTPS listener's TLS implementation (BoringSSL, else the JDK's)
 */
public record SecurityOptions(TlsFiles tls, boolean requireAuth, String bootstrapApiKey, int plainLoopbackPort,
                              TlsEngine tlsEngine) {

    public static final SecurityOptions NONE = new SecurityOptions(null, false, null, -1);

    public SecurityOptions {
        java.util.Objects.requireNonNull(tlsEngine, "tlsEngine");
    }

    /** With the default engine choice, {@link TlsEngine#AUTO}. */
    public SecurityOptions(TlsFiles tls, boolean requireAuth, String bootstrapApiKey, int plainLoopbackPort) {
        this(tls, requireAuth, bootstrapApiKey, plainLoopbackPort, TlsEngine.AUTO);
    }

    public SecurityOptions withTlsEngine(TlsEngine engine) {
        return new SecurityOptions(tls, requireAuth, bootstrapApiKey, plainLoopbackPort, engine);
    }

    @Override
    public String toString() {
        return "SecurityOptions[tls=" + tls + ", requireAuth=" + requireAuth + ", bootstrapApiKey="
                + (bootstrapApiKey == null ? "none" : "(set)") + ", plainLoopbackPort=" + plainLoopbackPort + ", tlsEngine=" + tlsEngine.flagValue() + "]";
    }

    /**
     * Whether requests must authenticate: with {@code --require-auth}, and always on a TLS listener reachable from
     * other machines (unless {@code --allow-unsecured-public} opted out of the secure default).
     */
    public boolean authenticationEnforced(boolean loopbackBind, boolean allowUnsecuredPublic) {
        return requireAuth || (!loopbackBind && !allowUnsecuredPublic);
    }
}

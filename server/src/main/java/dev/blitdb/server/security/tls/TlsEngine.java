package dev.blitdb.server.security.tls;

import java.util.Locale;

/** Which TLS implementation the HTTPS listener runs on ({@code --tls-engine}). */
public enum TlsEngine {
    /** BoringSSL (netty-tcnative) where its native library loads, else the JDK's, with one warning saying why. */
    AUTO,
    /** BoringSSL, or the server does not start. */
    BORINGSSL,
    /** The JDK's JSSE. */
    JDK;

    public String flagValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a flag value; null if it names no engine. */
    public static TlsEngine parse(String value) {
        for (TlsEngine engine : values()) {
            if (engine.flagValue().equals(value)) {
                return engine;
            }
        }
        return null;
    }
}

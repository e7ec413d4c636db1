package dev.blitdb.server.security;

import dev.blitdb.server.security.tls.TlsEngine;

/** {@link TlsListenerTest} on the JDK's TLS (JSSE): the fallback where BoringSSL cannot load, and --tls-engine jdk. */
class JdkTlsListenerTest extends TlsListenerTest {

    @Override
    TlsEngine engine() {
        return TlsEngine.JDK;
    }
}

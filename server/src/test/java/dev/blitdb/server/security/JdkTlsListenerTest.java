package dev.blitdb.server.security;

import dev.blitdb.server.security.tls.TlsEngine;

/** {@link TlsListenerTest} on the JDK's TLS (JSSE): the default, and the fallback where BoringSSL cannot load. */
class JdkTlsListenerTest extends TlsListenerTest {

    @Override
    TlsEngine engine() {
        return TlsEngine.JDK;
    }
}

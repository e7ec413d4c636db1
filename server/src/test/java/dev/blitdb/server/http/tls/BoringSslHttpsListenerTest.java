package dev.blitdb.server.http.tls;

import dev.blitdb.server.security.tls.TlsEngine;

/** {@link HttpsListenerTest} with BoringSSL's engine under our conduit ({@code --tls-engine boringssl}). */
class BoringSslHttpsListenerTest extends HttpsListenerTest {

    @Override
    TlsEngine engine() {
        return TlsEngine.BORINGSSL;
    }
}

package dev.blitdb.server.security;

import dev.blitdb.server.security.tls.TlsEngine;

/**
 * {@link AuthenticationTest} on the BoringSSL engine: registered, unknown, expired and deleted client certificates,
 * API keys and HTTP/2 streams through netty-tcnative's handshake and the same trust manager.
 */
class BoringSslAuthenticationTest extends AuthenticationTest {

    @Override
    TlsEngine engine() {
        return TlsEngine.BORINGSSL;
    }
}

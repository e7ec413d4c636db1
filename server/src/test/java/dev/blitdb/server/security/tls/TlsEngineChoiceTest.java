package dev.blitdb.server.security.tls;

import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which engine the HTTPS listener gets, and the fallback when BoringSSL's native library cannot load. */
class TlsEngineChoiceTest {

    private static final Throwable MISSING = new UnsatisfiedLinkError("no netty_tcnative_linux_x86_64 in java.library.path");

    @Test
    void shouldUseBoringSslWhereItLoads() throws IOException {
        assertEquals(TlsEngine.BORINGSSL, ServerTls.listenerEngine(TlsEngine.AUTO, null));
        assertEquals(TlsEngine.BORINGSSL, ServerTls.listenerEngine(TlsEngine.BORINGSSL, null));
        assertEquals(TlsEngine.JDK, ServerTls.listenerEngine(TlsEngine.JDK, null));
    }

    @Test
    void shouldFallBackToTheJdkWhenAutoCannotLoadBoringSsl() throws IOException {
        assertEquals(TlsEngine.JDK, ServerTls.listenerEngine(TlsEngine.AUTO, MISSING));
        assertEquals(TlsEngine.JDK, ServerTls.listenerEngine(TlsEngine.JDK, MISSING));
    }

    @Test
    void shouldRefuseToStartWhenBoringSslIsDemandedButCannotLoad() {
        var e = assertThrows(IOException.class, () -> ServerTls.listenerEngine(TlsEngine.BORINGSSL, MISSING));
        assertTrue(e.getMessage().contains("--tls-engine boringssl") && e.getMessage().contains("netty_tcnative"),
                e.getMessage());
    }

    @Test
    void shouldLoadBoringSslOnThisPlatform() {
        // The server jar ships the linux-x86_64, linux-aarch64 and macOS natives; a packaging mistake fails here.
        assertEquals(null, BoringSslContext.unavailabilityCause());
    }

    @Test
    void shouldParseTheFlagValues() {
        assertEquals(TlsEngine.AUTO, TlsEngine.parse("auto"));
        assertEquals(TlsEngine.BORINGSSL, TlsEngine.parse("boringssl"));
        assertEquals(TlsEngine.JDK, TlsEngine.parse("jdk"));
        assertEquals(null, TlsEngine.parse("openssl"));
    }
}

package dev.blitdb.server.config;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServerConfigParserTest {

    private static ServerConfig parse(Map<String, String> env, String... args) throws Exception {
        return ServerConfigParser.parse(List.of(args), env);
    }

    @Test
    void shouldUseLoopback8080AndDataFolderWhenNothingIsGiven() throws Exception {
        ServerConfig config = parse(Map.of());
        assertEquals("127.0.0.1", config.bind());
        assertEquals(8080, config.port());
        assertEquals(Path.of("data"), config.dataDir());
        assertFalse(config.allowUnsecuredPublic());
        assertEquals("http://127.0.0.1:8080", config.url(8080));
    }

    @Test
    void shouldChooseTheTlsEngineFromTheFlagOrTheEnvironment() throws Exception {
        assertEquals(dev.blitdb.server.security.tls.TlsEngine.AUTO, parse(Map.of()).security().tlsEngine());
        assertEquals(dev.blitdb.server.security.tls.TlsEngine.JDK,
                parse(Map.of(), "--tls-engine", "jdk").security().tlsEngine());
        assertEquals(dev.blitdb.server.security.tls.TlsEngine.BORINGSSL,
                parse(Map.of("BLITDB_TLS_ENGINE", "jdk"), "--tls-engine=boringssl").security().tlsEngine());
        assertEquals(dev.blitdb.server.security.tls.TlsEngine.JDK,
                parse(Map.of("BLITDB_TLS_ENGINE", "jdk")).security().tlsEngine());
        var bad = assertThrows(ConfigException.class, () -> parse(Map.of(), "--tls-engine", "openssl"));
        assertEquals("--tls-engine must be auto, boringssl or jdk, not 'openssl'", bad.getMessage());
        var badEnv = assertThrows(ConfigException.class, () -> parse(Map.of("BLITDB_TLS_ENGINE", "")));
        assertTrue(badEnv.getMessage().startsWith("BLITDB_TLS_ENGINE must be"), badEnv.getMessage());
    }

    @Test
    void shouldTakeEnvironmentAndLetFlagsWin() throws Exception {
        Map<String, String> env = Map.of("BLITDB_PORT", "9001", "BLITDB_DATA_DIR", "/tmp/x", "BLITDB_BIND", "localhost");
        ServerConfig fromEnv = parse(env);
        assertEquals(9001, fromEnv.port());
        assertEquals(Path.of("/tmp/x"), fromEnv.dataDir());
        assertEquals("localhost", fromEnv.bind());

        ServerConfig flags = parse(env, "--port", "9002", "--data-dir=/tmp/y", "--bind", "::1");
        assertEquals(9002, flags.port());
        assertEquals(Path.of("/tmp/y"), flags.dataDir());
        assertEquals("http://[::1]:9002", flags.url(9002));
    }

    @Test
    void shouldRejectBadPortsWithTheValueInTheMessage() {
        var notNumber = assertThrows(ConfigException.class, () -> parse(Map.of(), "--port", "eighty"));
        assertTrue(notNumber.getMessage().contains("'eighty'"), notNumber.getMessage());
        var tooBig = assertThrows(ConfigException.class, () -> parse(Map.of(), "--port=70000"));
        assertTrue(tooBig.getMessage().contains("70000"), tooBig.getMessage());
        var env = assertThrows(ConfigException.class, () -> parse(Map.of("BLITDB_PORT", "-1")));
        assertTrue(env.getMessage().startsWith("BLITDB_PORT"), env.getMessage());
    }

    @Test
    void shouldRejectUnknownOptionsAndMissingValues() {
        var unknown = assertThrows(ConfigException.class, () -> parse(Map.of(), "--prot", "1"));
        assertTrue(unknown.getMessage().contains("'--prot'"), unknown.getMessage());
        var missing = assertThrows(ConfigException.class, () -> parse(Map.of(), "--data-dir"));
        assertTrue(missing.getMessage().contains("--data-dir needs a value"), missing.getMessage());
    }

    @Test
    void shouldAcceptAPublicBindWithTlsAndThenEnforceAuthentication(@org.junit.jupiter.api.io.TempDir
                                                                     java.nio.file.Path dir) throws Exception {
        java.nio.file.Path cert = java.nio.file.Files.writeString(dir.resolve("c.pem"), "x");
        java.nio.file.Path key = java.nio.file.Files.writeString(dir.resolve("k.pem"), "x");
        var config = parse(Map.of(), "--bind", "0.0.0.0", "--tls-cert", cert.toString(), "--tls-key", key.toString());
        assertTrue(config.authenticationEnforced());
        assertTrue(config.url(1).startsWith("https://"));
        assertTrue(!parse(Map.of()).authenticationEnforced(), "loopback without --require-auth stays open");
        assertTrue(parse(Map.of(), "--require-auth").authenticationEnforced());
        var half = assertThrows(ConfigException.class, () -> parse(Map.of(), "--tls-cert", cert.toString()));
        assertTrue(half.getMessage().contains("--tls-key"), half.getMessage());
        var noPassword = assertThrows(ConfigException.class, () -> parse(Map.of(), "--tls-keystore", cert.toString()));
        assertTrue(noPassword.getMessage().contains("BLITDB_TLS_KEYSTORE_PASSWORD"), noPassword.getMessage());
        var badKey = assertThrows(ConfigException.class, () -> parse(Map.of("BLITDB_BOOTSTRAP_API_KEY", "short")));
        assertTrue(badKey.getMessage().contains("BLITDB_BOOTSTRAP_API_KEY"), badKey.getMessage());
    }

    @Test
    void shouldRefuseAPublicBindUnlessExplicitlyAllowed() throws Exception {
        var refused = assertThrows(ConfigException.class, () -> parse(Map.of(), "--bind", "0.0.0.0"));
        assertTrue(refused.getMessage().contains("--allow-unsecured-public"), refused.getMessage());
        assertTrue(refused.getMessage().contains("without TLS"), refused.getMessage());
        assertTrue(refused.getMessage().contains("--tls-cert FILE --tls-key FILE"), refused.getMessage());
        assertTrue(refused.getMessage().contains("--tls-keystore FILE"), refused.getMessage());

        assertTrue(parse(Map.of(), "--bind", "0.0.0.0", "--allow-unsecured-public").allowUnsecuredPublic());
        assertTrue(parse(Map.of("BLITDB_ALLOW_UNSECURED_PUBLIC", "true"), "--bind", "0.0.0.0")
                .allowUnsecuredPublic());
        assertThrows(ConfigException.class,
                () -> parse(Map.of("BLITDB_ALLOW_UNSECURED_PUBLIC", "maybe")));
    }

    @Test
    void shouldParseWorkerThreadsAndBodySizeWithDefaults() throws Exception {
        ServerConfig defaults = parse(Map.of());
        assertEquals(0, defaults.workerThreads());
        assertEquals(Math.max(64, 16 * Runtime.getRuntime().availableProcessors()), defaults.effectiveWorkerThreads());
        assertEquals(32L << 20, defaults.maxBodyBytes());

        ServerConfig set = parse(Map.of("BLITDB_WORKER_THREADS", "8", "BLITDB_MAX_BODY_SIZE", "512k"));
        assertEquals(8, set.effectiveWorkerThreads());
        assertEquals(512L << 10, set.maxBodyBytes());
        ServerConfig flags = parse(Map.of("BLITDB_MAX_BODY_SIZE", "512k"), "--worker-threads=100", "--max-body-size",
                "2M");
        assertEquals(100, flags.workerThreads());
        assertEquals(2L << 20, flags.maxBodyBytes());
        assertEquals(1000, parse(Map.of(), "--max-body-size", "1000").maxBodyBytes());
        assertEquals(java.time.Duration.ofSeconds(60), defaults.ioTimeout());
        assertEquals(java.time.Duration.ofMillis(2500), parse(Map.of("BLITDB_IO_TIMEOUT", "2.5")).ioTimeout());
        assertEquals(java.time.Duration.ofSeconds(5), parse(Map.of("BLITDB_IO_TIMEOUT", "2.5"), "--io-timeout=5")
                .ioTimeout());
        var timeout = assertThrows(ConfigException.class, () -> parse(Map.of(), "--io-timeout", "0"));
        assertTrue(timeout.getMessage().contains("between 0.1 and 3600"), timeout.getMessage());
        assertThrows(ConfigException.class, () -> parse(Map.of(), "--io-timeout", "soon"));

        var zero = assertThrows(ConfigException.class, () -> parse(Map.of(), "--worker-threads", "0"));
        assertTrue(zero.getMessage().contains("between 1 and 4096"), zero.getMessage());
        var size = assertThrows(ConfigException.class, () -> parse(Map.of(), "--max-body-size", "lots"));
        assertTrue(size.getMessage().contains("'lots'"), size.getMessage());
        assertThrows(ConfigException.class, () -> parse(Map.of(), "--max-body-size", "4g"));
        assertThrows(ConfigException.class, () -> parse(Map.of("BLITDB_MAX_BODY_SIZE", "0")));
    }

    @Test
    void shouldSignalHelp() {
        assertThrows(ServerConfigParser.HelpRequested.class, () -> parse(Map.of(), "--help"));
    }
}

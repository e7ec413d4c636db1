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
    void shouldRefuseAPublicBindUnlessExplicitlyAllowed() throws Exception {
        var refused = assertThrows(ConfigException.class, () -> parse(Map.of(), "--bind", "0.0.0.0"));
        assertTrue(refused.getMessage().contains("--allow-unsecured-public"), refused.getMessage());
        assertTrue(refused.getMessage().contains("no authentication"), refused.getMessage());

        assertTrue(parse(Map.of(), "--bind", "0.0.0.0", "--allow-unsecured-public").allowUnsecuredPublic());
        assertTrue(parse(Map.of("BLITDB_ALLOW_UNSECURED_PUBLIC", "true"), "--bind", "0.0.0.0")
                .allowUnsecuredPublic());
        assertThrows(ConfigException.class,
                () -> parse(Map.of("BLITDB_ALLOW_UNSECURED_PUBLIC", "maybe")));
    }

    @Test
    void shouldSignalHelp() {
        assertThrows(ServerConfigParser.HelpRequested.class, () -> parse(Map.of(), "--help"));
    }
}

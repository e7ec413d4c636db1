package dev.blitdb.server.config;

import java.nio.file.Path;

/**
 * The server's effective configuration: what {@link ServerConfigParser} made of the command line and the
 * {@code BLITDB_*} environment variables.
 *
 * @param bind                 the address to listen on; loopback unless {@code allowUnsecuredPublic}
 * @param port                 the TCP port; 0 asks the OS for a free one (tests use it)
 * @param dataDir              the folder that holds one sub-folder per database
 * @param allowUnsecuredPublic whether a non-loopback bind is allowed although BlitDB has no authentication yet
 */
public record ServerConfig(String bind, int port, Path dataDir, boolean allowUnsecuredPublic) {

    public static final String DEFAULT_BIND = "127.0.0.1";
    public static final int DEFAULT_PORT = 8080;
    public static final Path DEFAULT_DATA_DIR = Path.of("data");

    public static ServerConfig defaults() {
        return new ServerConfig(DEFAULT_BIND, DEFAULT_PORT, DEFAULT_DATA_DIR, false);
    }

    /** The base URL clients use; an IPv6 literal is bracketed. */
    public String url(int actualPort) {
        String host = bind.contains(":") ? "[" + bind + "]" : bind;
        return "http://" + host + ":" + actualPort;
    }

    /** One line per setting, as printed at start-up. */
    public String describe() {
        return "  bind                   " + bind + "\n"
                + "  port                   " + (port == 0 ? "0 (any free port)" : Integer.toString(port)) + "\n"
                + "  data dir               " + dataDir.toAbsolutePath().normalize() + "\n"
                + "  allow unsecured public " + allowUnsecuredPublic;
    }
}

package dev.blitdb.server.config;

import dev.blitdb.server.security.auth.ApiKeys;
import dev.blitdb.server.security.tls.TlsEngine;
import dev.blitdb.server.security.tls.TlsFiles;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Turns flags and {@code BLITDB_*} environment variables into a {@link ServerConfig}. Flags win over the
 * environment, the environment over the defaults. Both {@code --port 9000} and {@code --port=9000} work.
 */
public final class ServerConfigParser {

    public static final String USAGE = """
            Usage: blitdb [options]
                   blitdb setup --out <dir> --hostname <name> ...   make a CA, server and admin certificates
                                                                   (blitdb setup --help)
              --port <n>                  TCP port, 0-65535 (0 = any free port)    [BLITDB_PORT, default 8080]
              --bind <address>            address to listen on                     [BLITDB_BIND, default 127.0.0.1]
              --data-dir <path>           folder for the databases                 [BLITDB_DATA_DIR, default ./data]
              --tls-cert <file>           PEM certificate chain for HTTPS (with --tls-key)   [BLITDB_TLS_CERT]
              --tls-key <file>            PEM private key for HTTPS                          [BLITDB_TLS_KEY]
              --tls-keystore <file>       PKCS#12 key store for HTTPS instead; password from
                                          BLITDB_TLS_KEYSTORE_PASSWORD                       [BLITDB_TLS_KEYSTORE]
              --require-auth              authentication on every listener, loopback included
                                          (always on for a non-loopback --bind)      [BLITDB_REQUIRE_AUTH=true]
              --bootstrap-api-key-file <file>  register the key in it as ClusterAdmin when no principal exists
                                          yet (or BLITDB_BOOTSTRAP_API_KEY=<key>)
              --plain-loopback-port <n>   with TLS, also serve plain HTTP on 127.0.0.1:<n>   [BLITDB_PLAIN_LOOPBACK_PORT]
              --tls-engine <name>         auto (BoringSSL where its native library loads, else the JDK's),
                                          boringssl or jdk                   [BLITDB_TLS_ENGINE, default auto]
              --allow-unsecured-public    allow a non-loopback --bind without TLS and authentication (logged
                                          loudly; only behind a firewall or an authenticating proxy)
                                                                                   [BLITDB_ALLOW_UNSECURED_PUBLIC=true]
              --worker-threads <n>        threads for blocking work, 1-4096        [BLITDB_WORKER_THREADS,
                                                                                    default max(64, 16 x cores)]
              --max-body-size <size>      largest request body, e.g. 32m, 512k     [BLITDB_MAX_BODY_SIZE, default 32m]
              --io-timeout <seconds>      longest wait for a stalled client        [BLITDB_IO_TIMEOUT, default 60]
              --large-request-budget <size>  heap for large requests in flight, e.g. 64m; over it: 503 ServerBusy
                                                                                   [BLITDB_LARGE_REQUEST_BUDGET,
                                                                                    default max heap / 4]
              --help                      print this and exit""";

    private ServerConfigParser() {
    }

    /** Thrown for {@code --help}: the caller prints {@link #USAGE} and exits 0. */
    public static final class HelpRequested extends Exception {
        public HelpRequested() {
            super("help requested", null, false, false);
        }
    }

    public static ServerConfig parse(List<String> args, Map<String, String> env)
            throws ConfigException, HelpRequested {
        String bind = env.getOrDefault("BLITDB_BIND", ServerConfig.DEFAULT_BIND);
        String port = env.get("BLITDB_PORT");
        String dataDir = env.get("BLITDB_DATA_DIR");
        String allow = env.get("BLITDB_ALLOW_UNSECURED_PUBLIC");
        boolean allowPublic = allow != null && parseBoolean("BLITDB_ALLOW_UNSECURED_PUBLIC", allow);
        String workers = env.get("BLITDB_WORKER_THREADS");
        String maxBody = env.get("BLITDB_MAX_BODY_SIZE");
        String ioTimeout = env.get("BLITDB_IO_TIMEOUT");
        String budget = env.get("BLITDB_LARGE_REQUEST_BUDGET");
        String budgetSource = "BLITDB_LARGE_REQUEST_BUDGET";
        String ioTimeoutSource = "BLITDB_IO_TIMEOUT";
        String workersSource = "BLITDB_WORKER_THREADS";
        String maxBodySource = "BLITDB_MAX_BODY_SIZE";
        String portSource = "BLITDB_PORT";
        String dataDirSource = "BLITDB_DATA_DIR";
        String tlsCert = env.get("BLITDB_TLS_CERT");
        String tlsKey = env.get("BLITDB_TLS_KEY");
        String tlsKeystore = env.get("BLITDB_TLS_KEYSTORE");
        String requireAuthEnv = env.get("BLITDB_REQUIRE_AUTH");
        boolean requireAuth = requireAuthEnv != null && parseBoolean("BLITDB_REQUIRE_AUTH", requireAuthEnv);
        String bootstrapKey = env.get("BLITDB_BOOTSTRAP_API_KEY");
        String bootstrapKeySource = "BLITDB_BOOTSTRAP_API_KEY";
        String bootstrapFile = null;
        String plainPort = env.get("BLITDB_PLAIN_LOOPBACK_PORT");
        String plainPortSource = "BLITDB_PLAIN_LOOPBACK_PORT";
        String tlsEngine = env.get("BLITDB_TLS_ENGINE");
        String tlsEngineSource = "BLITDB_TLS_ENGINE";

        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            String name = arg;
            String inlineValue = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                name = arg.substring(0, eq);
                inlineValue = arg.substring(eq + 1);
            }
            switch (name) {
                case "--help", "-h" -> throw new HelpRequested();
                case "--allow-unsecured-public" -> {
                    allowPublic = inlineValue == null || parseBoolean(name, inlineValue);
                }
                case "--require-auth" -> {
                    requireAuth = inlineValue == null || parseBoolean(name, inlineValue);
                }
                case "--port", "--bind", "--data-dir", "--worker-threads", "--max-body-size", "--io-timeout",
                     "--tls-cert", "--tls-key", "--tls-keystore", "--bootstrap-api-key-file",
                     "--plain-loopback-port", "--large-request-budget", "--tls-engine" -> {
                    String value = inlineValue;
                    if (value == null) {
                        if (i + 1 >= args.size()) {
                            throw new ConfigException(name + " needs a value");
                        }
                        value = args.get(++i);
                    }
                    switch (name) {
                        case "--port" -> {
                            port = value;
                            portSource = "--port";
                        }
                        case "--bind" -> bind = value;
                        case "--worker-threads" -> {
                            workers = value;
                            workersSource = name;
                        }
                        case "--max-body-size" -> {
                            maxBody = value;
                            maxBodySource = name;
                        }
                        case "--io-timeout" -> {
                            ioTimeout = value;
                            ioTimeoutSource = name;
                        }
                        case "--large-request-budget" -> {
                            budget = value;
                            budgetSource = name;
                        }
                        case "--tls-cert" -> tlsCert = value;
                        case "--tls-key" -> tlsKey = value;
                        case "--tls-keystore" -> tlsKeystore = value;
                        case "--tls-engine" -> {
                            tlsEngine = value;
                            tlsEngineSource = name;
                        }
                        case "--bootstrap-api-key-file" -> bootstrapFile = value;
                        case "--plain-loopback-port" -> {
                            plainPort = value;
                            plainPortSource = name;
                        }
                        default -> {
                            dataDir = value;
                            dataDirSource = "--data-dir";
                        }
                    }
                }
                default -> throw new ConfigException("unknown option '" + arg + "'");
            }
        }

        int portNumber = port == null ? ServerConfig.DEFAULT_PORT : parsePort(portSource, port);
        Path dataPath = dataDir == null ? ServerConfig.DEFAULT_DATA_DIR : parsePath(dataDirSource, dataDir);
        if (bind.isBlank()) {
            throw new ConfigException("--bind needs an address, e.g. 127.0.0.1");
        }
        TlsFiles tls = tlsFiles(tlsCert, tlsKey, tlsKeystore, env.get("BLITDB_TLS_KEYSTORE_PASSWORD"));
        checkBind(bind, allowPublic, tls != null);
        if (bootstrapFile != null) {
            bootstrapKey = readKeyFile(bootstrapFile);
            bootstrapKeySource = "--bootstrap-api-key-file " + bootstrapFile;
        }
        if (bootstrapKey != null) {
            bootstrapKey = bootstrapKey.strip();
            try {
                ApiKeys.checkedId(bootstrapKey);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(bootstrapKeySource + ": " + e.getMessage());
            }
        }
        int plainLoopbackPort = plainPort == null ? -1 : parsePort(plainPortSource, plainPort);
        if (plainLoopbackPort >= 0 && tls == null) {
            throw new ConfigException(plainPortSource + " adds a plain listener beside the TLS one; without "
                    + "--tls-cert/--tls-key or --tls-keystore the main listener is plain already");
        }
        int workerThreads = workers == null ? 0 : parseWorkers(workersSource, workers);
        long maxBodyBytes = maxBody == null ? ServerConfig.DEFAULT_MAX_BODY_BYTES : parseSize(maxBodySource, maxBody);
        java.time.Duration timeout = ioTimeout == null ? ServerConfig.DEFAULT_IO_TIMEOUT
                : parseSeconds(ioTimeoutSource, ioTimeout);
        long budgetBytes = budget == null ? 0 : parseSize(budgetSource, budget);
        TlsEngine engine = TlsEngine.AUTO;
        if (tlsEngine != null) {
            engine = TlsEngine.parse(tlsEngine);
            if (engine == null) {
                throw new ConfigException(tlsEngineSource + " must be auto, boringssl or jdk, not '" + tlsEngine + "'");
            }
        }
        return new ServerConfig(bind, portNumber, dataPath, allowPublic, workerThreads, maxBodyBytes, timeout,
                budgetBytes, new SecurityOptions(tls, requireAuth, bootstrapKey, plainLoopbackPort, engine));
    }

    private static TlsFiles tlsFiles(String cert, String key, String keystore, String password) throws ConfigException {
        if (keystore != null) {
            if (cert != null || key != null) {
                throw new ConfigException("give either --tls-keystore or --tls-cert with --tls-key, not both");
            }
            if (password == null) {
                throw new ConfigException("--tls-keystore " + keystore + " needs its password in the environment "
                        + "variable BLITDB_TLS_KEYSTORE_PASSWORD (never on the command line, where ps shows it)");
            }
            return new TlsFiles.Pkcs12File(existingFile("--tls-keystore", keystore), password.toCharArray());
        }
        if (cert == null && key == null) {
            return null;
        }
        if (cert == null || key == null) {
            throw new ConfigException("--tls-cert and --tls-key go together: give the PEM certificate chain and its "
                    + "PEM private key (or use --tls-keystore with a PKCS#12 file)");
        }
        return new TlsFiles.PemFiles(existingFile("--tls-cert", cert), existingFile("--tls-key", key));
    }

    private static Path existingFile(String source, String value) throws ConfigException {
        Path path = parsePath(source, value);
        if (!java.nio.file.Files.isRegularFile(path) || !java.nio.file.Files.isReadable(path)) {
            throw new ConfigException(source + " " + value + ": no readable file there");
        }
        return path;
    }

    private static String readKeyFile(String value) throws ConfigException {
        Path path = existingFile("--bootstrap-api-key-file", value);
        try {
            return java.nio.file.Files.readString(path, java.nio.charset.StandardCharsets.US_ASCII);
        } catch (java.io.IOException e) {
            throw new ConfigException("--bootstrap-api-key-file " + value + ": " + e.getMessage());
        }
    }

    private static java.time.Duration parseSeconds(String source, String value) throws ConfigException {
        try {
            double seconds = Double.parseDouble(value.trim());
            if (!(seconds >= 0.1 && seconds <= 3600)) {
                throw new ConfigException(source + " must be between 0.1 and 3600 seconds, got " + value.trim());
            }
            return java.time.Duration.ofMillis(Math.round(seconds * 1000));
        } catch (NumberFormatException e) {
            throw new ConfigException(source + " must be a number of seconds, got '" + value + "'");
        }
    }

    private static int parseWorkers(String source, String value) throws ConfigException {
        try {
            int n = Integer.parseInt(value.trim());
            if (n < 1 || n > 4096) {
                throw new ConfigException(source + " must be between 1 and 4096, got " + n);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new ConfigException(source + " must be a number between 1 and 4096, got '" + value + "'");
        }
    }

    /** Bytes, or a number with a k / m / g suffix (binary: 1k = 1024). */
    static long parseSize(String source, String value) throws ConfigException {
        String v = value.trim().toLowerCase(java.util.Locale.ROOT);
        int shift = 0;
        if (!v.isEmpty()) {
            switch (v.charAt(v.length() - 1)) {
                case 'k' -> shift = 10;
                case 'm' -> shift = 20;
                case 'g' -> shift = 30;
                default -> shift = 0;
            }
        }
        String digits = shift == 0 ? v : v.substring(0, v.length() - 1);
        long max = Integer.MAX_VALUE - 16;
        try {
            long n = Long.parseLong(digits);
            if (n < 1 || n > (max >> shift)) {
                throw new ConfigException(source + " must be between 1 byte and " + max + " bytes, got '" + value + "'");
            }
            return n << shift;
        } catch (NumberFormatException e) {
            throw new ConfigException(source + " must be a size such as 1048576, 512k or 32m, got '" + value + "'");
        }
    }

    private static int parsePort(String source, String value) throws ConfigException {
        try {
            int port = Integer.parseInt(value.trim());
            if (port < 0 || port > 65_535) {
                throw new ConfigException(source + " must be between 0 and 65535, got " + port);
            }
            return port;
        } catch (NumberFormatException e) {
            throw new ConfigException(source + " must be a number between 0 and 65535, got '" + value + "'");
        }
    }

    private static Path parsePath(String source, String value) throws ConfigException {
        if (value.isBlank()) {
            throw new ConfigException(source + " needs a folder path");
        }
        try {
            return Path.of(value);
        } catch (InvalidPathException e) {
            throw new ConfigException(source + " is not a valid path: " + e.getMessage());
        }
    }

    private static boolean parseBoolean(String source, String value) throws ConfigException {
        return switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "true", "1", "yes" -> true;
            case "false", "0", "no" -> false;
            default -> throw new ConfigException(source + " must be true or false, got '" + value + "'");
        };
    }

    /**
     * Secure by default: listening beyond this machine needs TLS (and then authentication is enforced), or the
     * explicit opt-out. Only literal addresses and names that resolve to loopback count as loopback.
     */
    public static void checkBind(String bind, boolean allowPublic, boolean tls) throws ConfigException {
        InetAddress address;
        try {
            address = InetAddress.getByName(bind);
        } catch (UnknownHostException e) {
            throw new ConfigException("--bind address '" + bind + "' does not resolve");
        }
        if (!address.isLoopbackAddress() && !allowPublic && !tls) {
            throw new ConfigException("refusing to listen on " + bind + " without TLS: it is reachable from other "
                    + "machines. Pass --tls-cert FILE --tls-key FILE (PEM) or --tls-keystore FILE (PKCS#12, password in "
                    + "BLITDB_TLS_KEYSTORE_PASSWORD); './blitdb setup --out DIR --hostname NAME' makes them. "
                    + "Authentication is then required: give a first key with BLITDB_BOOTSTRAP_API_KEY or "
                    + "--bootstrap-api-key-file FILE. Or bind to 127.0.0.1, or pass --allow-unsecured-public "
                    + "(BLITDB_ALLOW_UNSECURED_PUBLIC=true) behind a firewall or an authenticating proxy.");
        }
    }
}

package dev.blitdb.server;

import dev.blitdb.server.cluster.ClusterSettings;
import dev.blitdb.server.cluster.ClusterTrust;
import dev.blitdb.server.config.ConfigException;
import dev.blitdb.server.config.ServerConfig;
import dev.blitdb.server.config.ServerConfigParser;

import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/**
 * The {@code blitdb} command: parse configuration, start the server, print where it listens, stop cleanly on
 * SIGTERM or Ctrl-C; or, with a first argument {@code backup|restore|export|import|compact}, run that maintenance
 * command ({@link dev.blitdb.server.cli.MaintenanceCommand}) and exit; {@code blitdb setup …} generates
 * certificates instead (see {@link dev.blitdb.server.security.setup.SetupCommand}). Exit codes: 0 after
 * {@code --help}, 2 for a bad flag or setting, 1 when the server
 * cannot start (port taken, data folder not writable).
 */
public final class BlitDbMain {

    public static final int EXIT_USAGE = 2;
    public static final int EXIT_START_FAILED = 1;
    static final String USAGE = ServerConfigParser.USAGE.replace("\n  --help", "\n" + ClusterSettings.USAGE + "\n"
            + ClusterTrust.USAGE + "\n  --help");
    /** A maintenance command ({@code blitdb backup …}) finished: main exits 0 at once instead of serving. */
    static final int EXIT_DONE = -1;
    private static final String LOG_FORMAT_PROPERTY = "java.util.logging.SimpleFormatter.format";

    private BlitDbMain() {
    }

    public static void main(String[] args) {
        // Code logs through System.Logger; java.util.logging is only its backend, configured here: one line per
        // record (the JDK default spreads each over two), set before the first logger exists.
        if (System.getProperty(LOG_FORMAT_PROPERTY) == null) {
            System.setProperty(LOG_FORMAT_PROPERTY, "%1$tF %1$tT.%1$tL %4$-7s [%3$s] %5$s%6$s%n");
        }
        int status = run(List.of(args), System.getenv(), System.out, System.err);
        if (status == EXIT_DONE) {
            System.exit(0);
        }
        if (status != 0) {
            System.exit(status);
        }
        // Undertow's non-daemon threads keep the JVM alive until the shutdown hook stops them.
    }

    static int run(List<String> args, Map<String, String> env, PrintStream out, PrintStream err) {
        if (!args.isEmpty() && dev.blitdb.server.cli.MaintenanceCommand.COMMANDS.contains(args.getFirst())) {
            int status = dev.blitdb.server.cli.MaintenanceCommand.run(args.getFirst(), args.subList(1, args.size()),
                    out, err);
            return status == 0 ? EXIT_DONE : status;
        }
        if (!args.isEmpty() && args.getFirst().equals("setup")) {
            return dev.blitdb.server.security.setup.SetupCommand.run(args.subList(1, args.size()), env, out, err);
        }
        ServerConfig config;
        ClusterSettings cluster;
        ClusterTrust clusterTrust = null;
        try {
            ClusterSettings.Parsed parsed = ClusterSettings.extract(args, env);
            cluster = parsed.settings();
            ClusterTrust.Parsed trusted = ClusterTrust.extract(parsed.rest(), env);
            config = ServerConfigParser.parse(trusted.rest(), env);
            if (cluster == null && trusted.file() != null) {
                throw new ConfigException(ClusterTrust.FLAG + " is for cluster nodes (--cluster)");
            }
            if (cluster != null) {
                var security = config.security();
                boolean loopback = java.net.InetAddress.getByName(config.bind()).isLoopbackAddress();
                boolean auth = security.authenticationEnforced(loopback, config.allowUnsecuredPublic());
                // Nodes call each other (Raft, database fan-out, topology): with authentication they must prove who
                // they are, which they do with their certificates over mutual TLS, so auth needs TLS here.
                if (auth && security.tls() == null) {
                    throw new ConfigException("a cluster node with authentication needs TLS (--tls-cert/--tls-key or "
                            + "--tls-keystore, and " + ClusterTrust.FLAG + "): nodes authenticate each other by "
                            + "certificate (README, \"Running it securely\")");
                }
                if (security.tls() != null && trusted.file() == null) {
                    throw new ConfigException("a cluster node with TLS needs " + ClusterTrust.FLAG + " <pem> listing "
                            + "every node's certificate: Raft traffic and node-to-node calls accept only those "
                            + "(README, \"Running it securely\")");
                }
                if (security.tls() != null) {
                    clusterTrust = ClusterTrust.load(trusted.file());
                }
                // A cluster node listens on the HTTP port its --cluster entry gives, so peers and clients find it.
                config = new ServerConfig(config.bind(), cluster.spec().self().httpPort(), config.dataDir(),
                        config.allowUnsecuredPublic(), config.workerThreads(), config.maxBodyBytes(),
                        config.ioTimeout(), config.largeRequestBudget(), security);
            }
        } catch (ServerConfigParser.HelpRequested help) {
            out.println(USAGE);
            return 0;
        } catch (ConfigException | IllegalArgumentException | IOException e) {
            err.println("blitdb: " + e.getMessage());
            err.println(USAGE);
            return EXIT_USAGE;
        }

        out.println("BlitDB starting with:");
        out.println(config.describe());
        if (cluster != null) {
            out.println(cluster.describe());
        }
        BlitDbServer server;
        try {
            server = BlitDbServer.start(config, cluster, clusterTrust);
        } catch (IOException | RuntimeException | Error e) {
            err.println("blitdb: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            if (!(e instanceof IOException) || e.getCause() != null) {
                e.printStackTrace(err); // not a known start-up problem: the trace is what a bug report needs
            }
            return EXIT_START_FAILED;
        }
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("blitdb-shutdown").unstarted(() -> {
            out.println("BlitDB stopping: finishing in-flight requests");
            server.close();
            out.println("BlitDB stopped");
            out.flush();
        }));
        StringBuilder databases = new StringBuilder();
        for (var db : server.databases().list()) {
            databases.append(databases.isEmpty() ? "" : ", ").append(db.name()).append(" (")
                    .append(db.state().name().toLowerCase(java.util.Locale.ROOT))
                    .append(db.failure() == null ? "" : ": " + db.failure()).append(')');
        }
        out.println("Databases: " + (databases.isEmpty() ? "none" : databases));
        out.println("BlitDB listening on " + server.url() + "  (health: " + server.url() + "/health)");
        out.flush();
        return 0;
    }
}

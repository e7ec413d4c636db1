package dev.blitdb.server.security.setup;

import dev.blitdb.server.config.ConfigException;
import dev.blitdb.server.config.ServerConfig;
import dev.blitdb.server.security.auth.Clearance;
import dev.blitdb.server.security.store.SecurityStore;
import dev.blitdb.server.security.tls.Pem;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * {@code blitdb setup --out DIR --hostname NAME… [--data-dir DIR] [--days N]}: makes a self-signed CA, a server
 * certificate for the given names and IP addresses, and an admin client certificate (PEM, and PKCS#12 for
 * clients), then registers the admin certificate as ClusterAdmin in the data folder's security store, so the
 * first secure start needs no further step. Private keys are written readable by the owner only; existing
 * files are never overwritten.
 */
public final class SetupCommand {

    public static final String USAGE = """
            Usage: blitdb setup --out <dir> --hostname <name-or-ip> [--hostname ...] [--data-dir <path>] [--days <n>]
              --out <dir>          folder for the files (created; existing files are never overwritten)
              --hostname <name>    a DNS name or IP address clients use to reach the server; repeat for more
              --data-dir <path>    the server's data folder, where the admin certificate is registered
                                   [BLITDB_DATA_DIR, default ./data]; the server must not be running
              --days <n>           validity of the server and admin certificates, default 825 (CA: 10 years)
            Writes ca.crt ca.key server.crt server.key admin.crt admin.key admin.p12 admin.p12.password""";

    private static final int DEFAULT_DAYS = 825;

    private SetupCommand() {
    }

    /** Runs the command; answers the exit status (0 ok, 2 usage, 1 failure). */
    public static int run(List<String> args, Map<String, String> env, PrintStream out, PrintStream err) {
        Path outDir = null;
        List<String> names = new ArrayList<>();
        Path dataDir = env.containsKey("BLITDB_DATA_DIR") ? Path.of(env.get("BLITDB_DATA_DIR"))
                : ServerConfig.DEFAULT_DATA_DIR;
        int days = DEFAULT_DAYS;
        try {
            for (int i = 0; i < args.size(); i++) {
                String arg = args.get(i);
                String name = arg;
                String value = null;
                int eq = arg.indexOf('=');
                if (arg.startsWith("--") && eq > 0) {
                    name = arg.substring(0, eq);
                    value = arg.substring(eq + 1);
                }
                if (name.equals("--help") || name.equals("-h")) {
                    out.println(USAGE);
                    return 0;
                }
                if (value == null) {
                    if (i + 1 >= args.size()) {
                        throw new ConfigException(name + " needs a value");
                    }
                    value = args.get(++i);
                }
                switch (name) {
                    case "--out" -> outDir = Path.of(value);
                    case "--hostname" -> names.add(value);
                    case "--data-dir" -> dataDir = Path.of(value);
                    case "--days" -> {
                        try {
                            days = Integer.parseInt(value);
                        } catch (NumberFormatException e) {
                            throw new ConfigException("--days must be a number, got '" + value + "'");
                        }
                        if (days < 1 || days > 3650) {
                            throw new ConfigException("--days must be between 1 and 3650, got " + days);
                        }
                    }
                    default -> throw new ConfigException("unknown option '" + arg + "'");
                }
            }
            if (outDir == null || names.isEmpty()) {
                throw new ConfigException("setup needs --out <dir> and at least one --hostname");
            }
        } catch (ConfigException e) {
            err.println("blitdb setup: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
        try {
            generate(outDir, names, dataDir, days, out);
            return 0;
        } catch (IOException | RuntimeException e) {
            err.println("blitdb setup: " + e.getMessage());
            return 1;
        }
    }

    static void generate(Path outDir, List<String> names, Path dataDir, int days, PrintStream out) throws IOException {
        Files.createDirectories(outDir);
        for (String file : List.of("ca.crt", "ca.key", "server.crt", "server.key", "admin.crt", "admin.key",
                "admin.p12", "admin.p12.password")) {
            if (Files.exists(outDir.resolve(file))) {
                throw new FileAlreadyExistsException(outDir.resolve(file) + " exists; setup never overwrites: "
                        + "choose another --out or move the old files away");
            }
        }
        Instant now = Instant.now().minus(5, ChronoUnit.MINUTES); // tolerate clocks slightly behind
        var ca = Certificates.certificateAuthority("BlitDB CA " + names.getFirst(), now, now.plus(3650, ChronoUnit.DAYS));
        var server = Certificates.issue(ca, names.getFirst(), Certificates.Purpose.SERVER, names, now,
                now.plus(days, ChronoUnit.DAYS));
        var admin = Certificates.issue(ca, "BlitDB admin", Certificates.Purpose.CLIENT, List.of(), now,
                now.plus(days, ChronoUnit.DAYS));
        byte[] secret = new byte[18];
        new SecureRandom().nextBytes(secret);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);

        // Register first: if the data folder is in use, nothing is written and the user can simply retry.
        String thumbprint;
        try (SecurityStore store = SecurityStore.open(dataDir)) {
            thumbprint = store.putCertificate("admin", admin.certificate(), Clearance.CLUSTER_ADMIN, Map.of());
            store.audit().append("blitdb setup", "local", "register admin certificate " + thumbprint, "201").join();
        } catch (IOException e) {
            throw new IOException("cannot register the admin certificate in " + dataDir.toAbsolutePath() + ": "
                    + e.getMessage() + " (stop the server first, or register admin.crt later with PUT "
                    + "/admin/security/certificates)", e);
        }
        writePublic(outDir.resolve("ca.crt"), Pem.encode(ca.certificate()));
        writePrivate(outDir.resolve("ca.key"), Pem.encode(ca.privateKey()).getBytes(StandardCharsets.US_ASCII));
        writePublic(outDir.resolve("server.crt"), Pem.encode(server.certificate(), ca.certificate()));
        writePrivate(outDir.resolve("server.key"), Pem.encode(server.privateKey()).getBytes(StandardCharsets.US_ASCII));
        writePublic(outDir.resolve("admin.crt"), Pem.encode(admin.certificate()));
        writePrivate(outDir.resolve("admin.key"), Pem.encode(admin.privateKey()).getBytes(StandardCharsets.US_ASCII));
        writePrivate(outDir.resolve("admin.p12"), Certificates.pkcs12(admin, password.toCharArray(), ca.certificate()));
        writePrivate(outDir.resolve("admin.p12.password"), (password + "\n").getBytes(StandardCharsets.US_ASCII));

        out.println("Wrote to " + outDir.toAbsolutePath() + ":");
        out.println("  ca.crt      the CA clients trust (ca.key signs more certificates: keep it offline)");
        out.println("  server.crt  server.key    for --tls-cert / --tls-key; names: " + String.join(", ", names));
        out.println("  admin.crt   admin.key     admin.p12 (password in admin.p12.password): the ClusterAdmin client");
        out.println("Registered the admin certificate (thumbprint " + thumbprint + ") in " + dataDir.toAbsolutePath());
        out.println("Start the server with:");
        out.println("  ./blitdb --data-dir " + dataDir + " --bind 0.0.0.0 --tls-cert " + outDir.resolve("server.crt")
                + " --tls-key " + outDir.resolve("server.key"));
        out.println("and call it with:");
        out.println("  curl --cacert " + outDir.resolve("ca.crt") + " --cert " + outDir.resolve("admin.crt") + " --key "
                + outDir.resolve("admin.key") + " https://" + names.getFirst() + ":8080/admin/security/whoami");
    }

    private static void writePublic(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.US_ASCII, java.nio.file.StandardOpenOption.CREATE_NEW);
    }

    private static void writePrivate(Path file, byte[] bytes) throws IOException {
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(file);
        }
        Files.write(file, bytes);
    }
}

package dev.blitdb.client;

import dev.blitdb.client.security.ClientSecurity;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real BlitDB server as a child process on an ephemeral loopback port over a data folder; restartable on the
 * same folder. The client's tests run on JDK 17 (the oldest JDK the client supports) while the server needs
 * JDK 25, so the server is started from its built jar ({@code blitdb.server.jar}) with the JDK 25 that runs
 * Maven ({@code blitdb.server.java}); see client/pom.xml. Each test gets its own database ({@link #newStore}).
 */
public final class TestServer implements AutoCloseable {

    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static final Pattern LISTENING = Pattern.compile("BlitDB listening on (https?://\\S+)");

    private final Path dataDir;
    private final List<String> extraArgs;
    private final ClientSecurity adminSecurity;
    private Process process;
    private String url;

    public TestServer(Path dataDir, String... extraArgs) {
        this(dataDir, ClientSecurity.none(), extraArgs);
    }

    /** A server started with {@code extraArgs}; {@link #newStore} authenticates with {@code adminSecurity}. */
    public TestServer(Path dataDir, ClientSecurity adminSecurity, String... extraArgs) {
        this.dataDir = dataDir;
        this.extraArgs = List.of(extraArgs);
        this.adminSecurity = adminSecurity;
        start();
    }

    private void start() {
        String java = System.getProperty("blitdb.server.java");
        String jar = System.getProperty("blitdb.server.jar");
        if (java == null || jar == null || !Files.isRegularFile(Path.of(jar))) {
            throw new IllegalStateException("the client's tests start the server from its jar: run them through "
                    + "Maven (./mvnw -pl client -am verify), which builds server/target/blitdb-server.jar and sets "
                    + "blitdb.server.java / blitdb.server.jar (got " + java + ", " + jar + ")");
        }
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(Arrays.asList(System.getProperty("blitdb.jvm.flags", "--enable-native-access=ALL-UNNAMED")
                .trim().split("\\s+")));
        command.addAll(List.of("--sun-misc-unsafe-memory-access=allow", "-Xmx512m", "-jar", jar,
                "--port", "0", "--data-dir", dataDir.toString()));
        command.addAll(extraArgs);
        try {
            Files.createDirectories(dataDir);
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        var reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        CompletableFuture<String> listening = new CompletableFuture<>();
        Thread pump = new Thread(() -> {
            try {
                String line;
                while ((line = reader.readLine()) != null) {
                    if (!listening.isDone()) {
                        synchronized (seen) {
                            seen.append(line).append('\n');
                        }
                        Matcher m = LISTENING.matcher(line);
                        if (m.find()) {
                            listening.complete(m.group(1));
                        }
                    } else if (line.contains("SEVERE") || line.contains("Exception")) {
                        System.err.println("[server] " + line);
                    }
                }
            } catch (IOException ignored) {
                // the process ended
            }
            listening.completeExceptionally(new IllegalStateException("server exited"));
        }, "test-server-output");
        pump.setDaemon(true);
        pump.start();
        try {
            url = listening.get(90, TimeUnit.SECONDS);
        } catch (Exception e) {
            process.destroyForcibly();
            synchronized (seen) {
                throw new IllegalStateException("the server did not start: " + e + "\n" + seen, e);
            }
        }
    }

    public String url() {
        return url;
    }

    /** Stops the server (SIGTERM: in-flight requests finish, stores close) and starts a new one on the same folder. */
    public void restart() {
        stop();
        start();
    }

    /** A store on a fresh database of this server. */
    public DocumentStore newStore() {
        String name = "db" + DATABASES.incrementAndGet();
        try (var admin = new DocumentStore(url(), name, adminSecurity)) {
            admin.maintenance().server().createDatabase(name);
        }
        return new DocumentStore(url(), name, adminSecurity);
    }

    /** SIGKILL: no shutdown, no flush (a crashed node). {@link #restart} brings it back on the same folder. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void stop() {
        process.destroy();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop();
    }
}

package dev.blitdb.server;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@link BlitDbMain} in a child JVM, started as a user starts it (the test JVM's java, its class path and the
 * build's {@code blitdb.jvm.flags}), for the tests that crash, kill or starve a real server process.
 */
public final class ChildServerProcess {

    /** The line the server prints once it accepts connections; group 1 is its URL. */
    public static final Pattern LISTENING = Pattern.compile("BlitDB listening on (http://\\S+)");

    private ChildServerProcess() {
    }

    /** The command: java, the build's JVM flags, {@code jvmOptions} (heap size, GC log…), the class path, args. */
    public static ProcessBuilder command(List<String> jvmOptions, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(System.getProperty("blitdb.jvm.flags", "--enable-native-access=ALL-UNNAMED")
                .trim().split("\\s+")));
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(BlitDbMain.class.getName());
        command.addAll(List.of(args));
        return new ProcessBuilder(command);
    }

    /** Waits for the child's "listening on" line and returns its URL; the rest of its output is drained unread. */
    public static String awaitListening(Process process) throws Exception {
        return awaitListening(process, null);
    }

    /**
     * Waits for the child's "listening on" line and returns its URL; every line it prints, before and after, goes
     * to {@code output} (null: read and dropped), so the child never blocks on a full pipe.
     *
     * @throws AssertionError with what it printed, when it ends its output without listening
     */
    public static String awaitListening(Process process, StringBuffer output) throws Exception {
        var out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        StringBuffer printed = output != null ? output : new StringBuffer();
        String line;
        while ((line = out.readLine()) != null) {
            printed.append(line).append('\n');
            Matcher m = LISTENING.matcher(line);
            if (m.find()) {
                Thread.ofPlatform().daemon().start(() -> out.lines().forEach(l -> {
                    if (output != null) {
                        output.append(l).append('\n');
                    }
                }));
                return m.group(1);
            }
        }
        throw new AssertionError("no 'listening on' line in:\n" + printed);
    }
}

package dev.blitdb.server.http.memory;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Heap figures of a child server JVM read from its unified GC log ({@code -Xlog:gc:file=...}). */
final class ChildGcLog {

    /** "before M->after M(committed M)" of a GC log line. */
    private static final Pattern HEAP = Pattern.compile("(\\d+)M->(\\d+)M\\((\\d+)M\\)");

    private ChildGcLog() {
    }

    /** Asks the child for a full GC (jcmd) and returns the heap in MB after it, from the GC log. */
    static long fullGcHeap(Process child, Path gcLog) throws Exception {
        Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(child.pid()), "GC.run").redirectErrorStream(true).start();
        String said = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(jcmd.waitFor(60, TimeUnit.SECONDS) && jcmd.exitValue() == 0, "jcmd GC.run: " + said);
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (System.nanoTime() < deadline) {
            List<String> full = Files.readAllLines(gcLog).stream().filter(l -> l.contains("Pause Full")).toList();
            if (!full.isEmpty()) {
                Matcher m = HEAP.matcher(full.getLast());
                if (m.find()) {
                    return Long.parseLong(m.group(2));
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no full GC in the child's GC log:\n" + Files.readString(gcLog));
    }

    /** The largest heap in MB after any GC in the log. */
    static long maxAfterGc(Path gcLog) throws Exception {
        long max = 0;
        for (String line : Files.readAllLines(gcLog)) {
            Matcher m = HEAP.matcher(line);
            if (m.find()) {
                max = Math.max(max, Long.parseLong(m.group(2)));
            }
        }
        return max;
    }
}

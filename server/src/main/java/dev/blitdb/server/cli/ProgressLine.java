package dev.blitdb.server.cli;

import java.io.PrintStream;

/**
 * A single-line progress display, redrawn in place with {@code \r}, only when the output is a terminal (so logs
 * and pipes get just the final result).
 */
final class ProgressLine {

    private final PrintStream out;
    private final boolean terminal;
    private int lastLength;

    ProgressLine(PrintStream out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    void show(String what, double percent, long bytesPerSecond, long etaSeconds) {
        if (!terminal) {
            return;
        }
        int width = 30;
        int filled = percent < 0 ? 0 : (int) Math.round(percent / 100 * width);
        String line = String.format("%s [%s%s] %s %s/s ETA %s", what, "=".repeat(filled), " ".repeat(width - filled),
                percent < 0 ? "  ?%" : String.format("%3.0f%%", percent), human(bytesPerSecond),
                etaSeconds < 0 ? "?" : etaSeconds + "s");
        out.print("\r" + line + " ".repeat(Math.max(0, lastLength - line.length())));
        out.flush();
        lastLength = line.length();
    }

    void end() {
        if (terminal && lastLength > 0) {
            out.println();
        }
    }

    static String human(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        if (bytes < 1 << 20) {
            return String.format("%.1f KiB", bytes / 1024.0);
        }
        return String.format("%.1f MiB", bytes / 1048576.0);
    }
}

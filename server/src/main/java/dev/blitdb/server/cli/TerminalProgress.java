package dev.blitdb.server.cli;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Optional;

/**
 * The CLI's progress bar ({@code me.tongfei:progressbar}: percent, bar, counts, speed, ETA, redrawn in place),
 * shown only when the output is a terminal, so logs and pipes get just the final result. Built on the first update,
 * when the total and the unit are known; the ETA is the server's when it gives one.
 */
final class TerminalProgress {

    private final PrintStream out;
    private final boolean terminal;
    private final int width;
    private ProgressBar bar;
    private volatile long etaSeconds = -1;

    /** {@code width} of the line, or -1 for the terminal's own (read through JLine). */
    TerminalProgress(PrintStream out, boolean terminal, int width) {
        this.out = out;
        this.terminal = terminal;
        this.width = width;
    }

    /**
     * Shows {@code done} of {@code total} in {@code unit} ({@code bytes} are shown in KiB or MiB with a speed).
     * {@code total} <= 0: unknown (a bar without an end). {@code etaSeconds} < 0: the bar estimates it from its
     * own rate.
     */
    synchronized void show(String task, String unit, long done, long total, long etaSeconds) {
        if (!terminal) {
            return;
        }
        this.etaSeconds = etaSeconds;
        if (bar == null) {
            ProgressBarBuilder b = new ProgressBarBuilder().setTaskName(task).setInitialMax(total > 0 ? total : -1)
                    .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250)
                    .setConsumer(new ConsoleProgressBarConsumer(out, width));
            if ("bytes".equals(unit) && total > 0 && total < 16L << 20) {
                b.setUnit(" KiB", 1 << 10).showSpeed();
            } else if ("bytes".equals(unit)) {
                b.setUnit(" MiB", 1 << 20).showSpeed();
            } else if (unit != null) {
                b.setUnit(" " + unit, 1);
            }
            b.setEtaFunction(state -> this.etaSeconds >= 0 ? Optional.of(Duration.ofSeconds(this.etaSeconds))
                    : estimate(state));
            bar = b.build();
        }
        if (total > 0 && total != bar.getMax()) {
            bar.maxHint(total);
        }
        bar.stepTo(done);
    }

    private static Optional<Duration> estimate(me.tongfei.progressbar.ProgressState s) {
        long done = s.getCurrent() - s.getStart();
        long left = s.getMax() - s.getCurrent();
        Duration elapsed = Duration.between(s.getStartInstant(), java.time.Instant.now());
        if (done <= 0 || left < 0 || s.getMax() <= 0) {
            return Optional.empty();
        }
        return Optional.of(elapsed.multipliedBy(left).dividedBy(done));
    }

    /** Draws the last state and ends the line. */
    synchronized void end() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}

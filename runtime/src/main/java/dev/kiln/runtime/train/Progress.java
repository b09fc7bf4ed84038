package dev.kiln.runtime.train;

import java.io.Console;
import java.io.PrintStream;
import java.util.Locale;

/**
 * Prints training progress. In place (a terminal), one line per epoch is rewritten with
 * {@code '\r'} as batches finish, at most ten times a second: batch k/n, running loss, samples/s
 * and the time left. Otherwise (a log) exactly one line is printed per epoch, when it ends.
 */
final class Progress {
    private static final long REFRESH_NANOS = 100_000_000L;
    private final PrintStream out; // null when quiet
    private final boolean inPlace;
    private final int epochs;
    private int epoch;
    private int batches;
    private long started;
    private long printed;
    private int width;

    Progress(PrintStream out, Boolean inPlace, int epochs) {
        this.out = out;
        this.inPlace = out != null && (inPlace != null ? inPlace : terminal());
        this.epochs = epochs;
    }

    /** Whether standard output is an interactive terminal (a JDK 22+ console may not be). */
    private static boolean terminal() {
        Console console = System.console();
        return console != null && console.isTerminal();
    }

    void epochStarted(int epoch, int batches) {
        this.epoch = epoch;
        this.batches = batches;
        this.started = System.nanoTime();
        this.printed = started;
        this.width = 0;
    }

    /**
     * @param batch batches done in this epoch, from 1
     * @param loss the mean loss of the epoch so far
     * @param samples samples done in this epoch
     */
    void batchDone(int batch, double loss, int samples) {
        if (!inPlace) {
            return;
        }
        long now = System.nanoTime();
        if (now - printed < REFRESH_NANOS && batch < batches) {
            return;
        }
        printed = now;
        double seconds = (now - started) / 1e9;
        double eta = seconds / batch * (batches - batch);
        rewrite(String.format(Locale.ROOT, "Epoch %d/%d - %d/%d - loss: %.4f - %.0f samples/s - ETA %s", epoch, epochs, batch,
                batches, loss, samples / seconds, duration(eta)));
        out.flush();
    }

    /**
     * Prints the epoch's line.
     *
     * @param seconds the training time of the epoch
     * @param note appended to the line (early stopping), or null
     */
    void epochEnded(EpochMetrics m, double seconds, String note) {
        if (out == null) {
            return;
        }
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "Epoch %d/%d - %d/%d - %s - %.0f samples/s - loss: %.4f",
                m.epoch(), epochs, batches, batches, duration(seconds), m.samplesPerSecond(), m.loss()));
        metric(line, "accuracy", m.accuracy());
        metric(line, "val_loss", m.valLoss());
        metric(line, "val_accuracy", m.valAccuracy());
        if (note != null) {
            line.append(" - ").append(note);
        }
        if (inPlace) {
            rewrite(line.toString());
            out.print('\n');
        } else {
            out.println(line);
        }
        out.flush();
    }

    private static void metric(StringBuilder line, String name, double value) {
        if (!Double.isNaN(value)) {
            line.append(String.format(Locale.ROOT, " - %s: %.4f", name, value));
        }
    }

    /** Overwrites the current line, padding with spaces over a longer previous text. */
    private void rewrite(String text) {
        out.print('\r');
        out.print(text);
        for (int i = text.length(); i < width; i++) {
            out.print(' ');
        }
        width = text.length();
    }

    private static String duration(double seconds) {
        if (seconds < 60) {
            return String.format(Locale.ROOT, "%.1fs", seconds);
        }
        long s = Math.round(seconds);
        return s < 3600 ? String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60)
                : String.format(Locale.ROOT, "%dh%02dm", s / 3600, s % 3600 / 60);
    }
}

package dev.kiln.examples;

import dev.kiln.runtime.train.History;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Draws the loss and the accuracy per epoch as an SVG picture: two panels, training and
 * validation curves, labelled axes.
 */
final class TrainingChart {
    private static final int WIDTH = 900;
    private static final int HEIGHT = 380;
    private static final int PANEL = 380;
    private static final int LEFT = 60;
    private static final int TOP = 50;
    private static final int PLOT_HEIGHT = 270;

    private TrainingChart() {
    }

    static void write(History history, String title, Path file) throws IOException {
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\" font-size=\"12\">%n", WIDTH, HEIGHT));
        svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"22\" font-size=\"16\" font-weight=\"bold\">%s</text>%n", LEFT, escape(title)));
        panel(svg, LEFT, "loss", history.get("loss"), history.get("val_loss"), false);
        panel(svg, LEFT + PANEL + 80, "accuracy", history.get("accuracy"), history.get("val_accuracy"), true);
        svg.append("</svg>\n");
        Files.writeString(file, svg, StandardCharsets.UTF_8);
    }

    private static void panel(StringBuilder svg, int x0, String name, double[] train, double[] validation, boolean unitRange) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double[] series : new double[][] {train, validation}) {
            for (double v : series) {
                if (Double.isFinite(v)) {
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
            }
        }
        if (unitRange) {
            max = 1;
            min = Math.min(min, 0.8);
        } else {
            min = 0;
        }
        if (!(max > min)) {
            max = min + 1;
        }
        int y0 = TOP + PLOT_HEIGHT;
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-weight=\"bold\">%s</text>%n", x0, TOP - 8, name));
        for (int tick = 0; tick <= 4; tick++) {
            double value = min + (max - min) * tick / 4;
            int y = y0 - PLOT_HEIGHT * tick / 4;
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#ddd\"/>%n", x0, y, x0 + PANEL - 40, y));
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%.3g</text>%n", x0 - 6, y + 4, value));
        }
        int epochs = train.length;
        for (int e = 0; e < epochs; e += Math.max(1, epochs / 8)) {
            int x = xOf(x0, e, epochs);
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%d</text>%n", x, y0 + 16, e + 1));
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">epoch</text>%n", x0 + (PANEL - 40) / 2, y0 + 34));
        svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>%n", x0, y0, x0 + PANEL - 40, y0));
        svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>%n", x0, TOP, x0, y0));
        line(svg, x0, train, min, max, "#1f77b4", "training");
        line(svg, x0, validation, min, max, "#ff7f0e", "validation");
        int legend = unitRange ? y0 - 40 : TOP + 14;
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" fill=\"#1f77b4\">training</text>%n", x0 + PANEL - 150, legend));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" fill=\"#ff7f0e\">validation</text>%n", x0 + PANEL - 150, legend + 16));
    }

    private static void line(StringBuilder svg, int x0, double[] series, double min, double max, String color, String label) {
        StringBuilder points = new StringBuilder();
        for (int e = 0; e < series.length; e++) {
            if (Double.isFinite(series[e])) {
                double y = TOP + PLOT_HEIGHT * (1 - (series[e] - min) / (max - min));
                points.append(String.format(Locale.ROOT, "%d,%.1f ", xOf(x0, e, series.length), y));
            }
        }
        if (!points.isEmpty()) {
            svg.append(String.format(Locale.ROOT, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"%s\"><title>%s</title></polyline>%n",
                    color, points.toString().strip(), label));
        }
    }

    private static int xOf(int x0, int epoch, int epochs) {
        return x0 + (epochs <= 1 ? 0 : (PANEL - 40) * epoch / (epochs - 1));
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}

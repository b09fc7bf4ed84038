package dev.kiln.runtime.data;

import dev.kiln.runtime.Heap;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Reads a numeric CSV file (raw or gzipped) into a {@link Dataset}: the target columns you choose
 * become the targets, every other column, in file order, becomes a feature. Configure, then read:
 *
 * <pre>{@code
 * Dataset iris = new CsvReader().header(true).label("species").read(Path.of("iris.csv"));
 * Dataset houses = new CsvReader().header(true).targets("price").read(Path.of("houses.csv"));
 * }</pre>
 *
 * <p>A {@linkplain #label label} column holds class indices (whole numbers 0, 1, 2, ...) and gives a
 * target size of 1, for sparse softmax cross-entropy; {@linkplain #targets target} columns hold any
 * numbers and give one target per column, for regression or one-hot targets. Columns are chosen
 * by header name or by index from 0, where a negative index counts from the end ({@code -1} is
 * the last column).
 *
 * <p>Every cell must be a number ({@code nan} and {@code inf} are accepted, empty cells are not);
 * cells are trimmed and may be wrapped in double quotes, but a quoted cell cannot contain the
 * delimiter. Blank lines are skipped. Errors name the file, the line and the column, both counted
 * from 1 as editors and spreadsheets do. Instances are immutable: each setter returns a copy.
 */
public final class CsvReader {
    /** The longest line read, in characters. */
    static final int MAX_LINE = 1 << 22;
    /** The most cells a row may have. */
    static final int MAX_COLUMNS = 100_000;
    private final boolean header;
    private final char delimiter;
    private final boolean label;
    private final int[] targetIndices;
    private final String[] targetNames;

    /** A reader of comma-separated files without a header and with no target chosen yet. */
    public CsvReader() {
        this(false, ',', false, null, null);
    }

    private CsvReader(boolean header, char delimiter, boolean label, int[] targetIndices, String[] targetNames) {
        this.header = header;
        this.delimiter = delimiter;
        this.label = label;
        this.targetIndices = targetIndices;
        this.targetNames = targetNames;
    }

    /** Whether the first line holds column names (default false). */
    public CsvReader header(boolean hasHeader) {
        return new CsvReader(hasHeader, delimiter, label, targetIndices, targetNames);
    }

    /** The cell separator (default {@code ','}). */
    public CsvReader delimiter(char separator) {
        if (separator == '"' || separator == '\n' || separator == '\r') {
            throw new IllegalArgumentException("'" + separator + "' cannot separate cells");
        }
        return new CsvReader(header, separator, label, targetIndices, targetNames);
    }

    /** The class index column, by index from 0 (negative counts from the end); target size 1. */
    public CsvReader label(int column) {
        return new CsvReader(header, delimiter, true, new int[] {column}, null);
    }

    /** The class index column, by header name; target size 1. Needs {@link #header(boolean) header(true)}. */
    public CsvReader label(String column) {
        return new CsvReader(header, delimiter, true, null, new String[] {column});
    }

    /** The target columns, by index from 0 (negative counts from the end); one target per column. */
    public CsvReader targets(int... columns) {
        if (columns.length == 0) {
            throw new IllegalArgumentException("choose at least one target column");
        }
        return new CsvReader(header, delimiter, false, columns.clone(), null);
    }

    /** The target columns, by header name; one target per column. Needs {@link #header(boolean) header(true)}. */
    public CsvReader targets(String... columns) {
        if (columns.length == 0) {
            throw new IllegalArgumentException("choose at least one target column");
        }
        return new CsvReader(header, delimiter, false, null, columns.clone());
    }

    /**
     * Reads a file, raw or gzipped.
     *
     * @throws DataFileException if the file is missing, a chosen column does not exist, a row has
     *     another number of cells than the first, or a cell is not a number (or not a class index
     *     in a label column)
     */
    public Dataset read(Path file) throws IOException {
        try (InputStream in = Inputs.open(file)) {
            return parse(in, file.toString());
        }
    }

    /** Reads a stream, raw or gzipped; {@code source} names it in errors. The stream is not closed. */
    public Dataset read(InputStream in, String source) throws IOException {
        return parse(Inputs.decompressIfGzip(in, source), source);
    }

    private Dataset parse(InputStream in, String source) throws IOException {
        if (targetIndices == null && targetNames == null) {
            throw new IllegalStateException("choose the target before reading " + source
                    + ": label(column) for class indices or targets(columns...)");
        }
        if (targetNames != null && !header) {
            throw new IllegalStateException("columns are chosen by name " + Arrays.toString(targetNames) + " but header(true) is not set; "
                    + "set it if the first line of " + source + " holds names, else choose columns by index");
        }
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
        Table table = null;
        Floats features = new Floats(source);
        Floats targets = new Floats(source);
        StringBuilder text = new StringBuilder();
        int lineNumber = 0;
        int rows = 0;
        while (readLine(reader, text, source, lineNumber + 1)) {
            lineNumber++;
            if (lineNumber == 1 && !text.isEmpty() && text.charAt(0) == '\uFEFF') {
                text.deleteCharAt(0);
            }
            String line = text.toString();
            if (line.isBlank()) {
                continue;
            }
            if (table == null) {
                List<String> cells = split(line, source, lineNumber);
                table = new Table(source, lineNumber, cells.size(), header ? List.copyOf(cells) : null);
                if (header) {
                    continue;
                }
            }
            float[] row = table.row;
            int start = 0;
            for (int j = 0; ; j++) {
                int end = line.indexOf(delimiter, start);
                if (j >= table.columns) {
                    throw cellCount(source, lineNumber, table, countCells(line));
                }
                String cell = unquote((end < 0 ? line.substring(start) : line.substring(start, end)).strip());
                row[j] = number(cell, source, lineNumber, j, table);
                if (table.isTarget[j]) {
                    if (label && !(row[j] >= 0 && row[j] == Math.rint(row[j]) && row[j] < (1 << 24))) {
                        throw new DataFileException(source, table.where(lineNumber, j) + ": label '" + cell
                                + "' is not a class index (a whole number 0, 1, 2, ...); use targets(...) for numeric targets");
                    }
                } else {
                    features.add(row[j]);
                }
                if (end < 0) {
                    if (j + 1 != table.columns) {
                        throw cellCount(source, lineNumber, table, j + 1);
                    }
                    break;
                }
                start = end + 1;
            }
            for (int t : table.targets) {
                targets.add(row[t]);
            }
            rows++;
        }
        if (rows == 0) {
            throw new DataFileException(source, "has no data rows" + (header ? " after the header" : ""));
        }
        return new Dataset(features.toArray(), new int[] {table.columns - table.targets.length}, targets.toArray(), table.targets.length);
    }

    private int countCells(String line) {
        int cells = 1;
        for (int i = line.indexOf(delimiter); i >= 0; i = line.indexOf(delimiter, i + 1)) {
            cells++;
        }
        return cells;
    }

    private static DataFileException cellCount(String source, int line, Table table, int cells) {
        return new DataFileException(source, "line " + line + " has " + cells + " cells but line " + table.firstLine + " has "
                + table.columns + "; every row needs the same number of cells (is a cell missing or the delimiter wrong?)");
    }

    /**
     * Reads the next line (ended by LF, CRLF or CR) into {@code line}; false at the end of the
     * input. A line longer than {@value #MAX_LINE} characters is an error, not an out-of-memory.
     */
    private static boolean readLine(BufferedReader in, StringBuilder line, String source, int number) throws IOException {
        line.setLength(0);
        int c = in.read();
        if (c < 0) {
            return false;
        }
        while (c >= 0 && c != '\n' && c != '\r') {
            if (line.length() == MAX_LINE) {
                throw new DataFileException(source, String.format(java.util.Locale.ROOT, "line %d is longer than %,d characters; "
                        + "Kiln reads CSV rows of up to %,d cells, so this is not a CSV file of numbers (or its line breaks are missing)",
                        number, MAX_LINE, MAX_COLUMNS));
            }
            line.append((char) c);
            c = in.read();
        }
        if (c == '\r') {
            in.mark(1);
            if (in.read() != '\n') {
                in.reset();
            }
        }
        return true;
    }

    /** The cells of the first line, trimmed and unquoted; at most {@value #MAX_COLUMNS}. */
    private List<String> split(String line, String source, int lineNumber) throws DataFileException {
        List<String> cells = new ArrayList<>();
        int start = 0;
        while (true) {
            if (cells.size() == MAX_COLUMNS) {
                throw new DataFileException(source, String.format(java.util.Locale.ROOT, "line %d has more than %,d cells, more than Kiln reads "
                        + "as features of one sample; check the delimiter", lineNumber, MAX_COLUMNS));
            }
            int end = line.indexOf(delimiter, start);
            if (end < 0) {
                cells.add(unquote(line.substring(start).strip()));
                return cells;
            }
            cells.add(unquote(line.substring(start, end).strip()));
            start = end + 1;
        }
    }

    private static String unquote(String cell) {
        if (cell.length() >= 2 && cell.charAt(0) == '"' && cell.charAt(cell.length() - 1) == '"') {
            return cell.substring(1, cell.length() - 1).strip();
        }
        return cell;
    }

    private static float number(String cell, String source, int line, int column, Table table) throws DataFileException {
        if (cell.isEmpty()) {
            throw new DataFileException(source, table.where(line, column)
                    + ": the cell is empty; Kiln reads only numbers, so fill or drop missing values first");
        }
        switch (cell.toLowerCase(Locale.ROOT)) {
            case "nan", "+nan", "-nan" -> {
                return Float.NaN;
            }
            case "inf", "+inf", "infinity", "+infinity" -> {
                return Float.POSITIVE_INFINITY;
            }
            case "-inf", "-infinity" -> {
                return Float.NEGATIVE_INFINITY;
            }
            default -> {
            }
        }
        for (int i = 0; i < cell.length(); i++) {
            if ("0123456789+-.eE".indexOf(cell.charAt(i)) < 0) {
                throw notANumber(cell, source, line, column, table);
            }
        }
        float value;
        try {
            value = Float.parseFloat(cell);
        } catch (NumberFormatException e) {
            throw notANumber(cell, source, line, column, table);
        }
        if (Float.isInfinite(value)) {
            throw new DataFileException(source, table.where(line, column) + ": " + cell + " is beyond the range of a float (about ±3.4e38), "
                    + "so it would become infinite; scale the column, or write inf if infinity is meant");
        }
        return value;
    }

    private static DataFileException notANumber(String cell, String source, int line, int column, Table table) {
        return new DataFileException(source, table.where(line, column) + ": '" + cell + "' is not a number; "
                + "encode text columns as numbers first, or set header(true) if this line holds column names");
    }

    /** What the first line tells: the number of columns, their names, and which are targets. */
    private final class Table {
        final int firstLine;
        final int columns;
        final List<String> names;
        final int[] targets;
        final boolean[] isTarget;
        final float[] row;

        Table(String source, int firstLine, int columns, List<String> names) throws DataFileException {
            this.firstLine = firstLine;
            this.columns = columns;
            this.names = names;
            this.targets = targetNames != null ? byName(source) : byIndex(source);
            this.isTarget = new boolean[columns];
            this.row = new float[columns];
            for (int t : targets) {
                if (isTarget[t]) {
                    throw new IllegalArgumentException("column " + describe(t) + " is chosen twice as a target");
                }
                isTarget[t] = true;
            }
            if (targets.length == columns) {
                throw new DataFileException(source, "all " + columns + " columns are targets, which leaves no features");
            }
        }

        private int[] byName(String source) throws DataFileException {
            int[] result = new int[targetNames.length];
            for (int k = 0; k < targetNames.length; k++) {
                int found = names.indexOf(targetNames[k]);
                if (found < 0) {
                    throw new DataFileException(source, "has no column named '" + targetNames[k] + "'; the header on line " + firstLine
                            + " names " + names);
                }
                if (names.lastIndexOf(targetNames[k]) != found) {
                    throw new DataFileException(source, "has several columns named '" + targetNames[k] + "' (columns " + (found + 1) + " and "
                            + (names.lastIndexOf(targetNames[k]) + 1) + "); choose the column by index");
                }
                result[k] = found;
            }
            return result;
        }

        private int[] byIndex(String source) throws DataFileException {
            int[] result = new int[targetIndices.length];
            for (int k = 0; k < targetIndices.length; k++) {
                int index = targetIndices[k];
                int resolved = index < 0 ? columns + index : index;
                if (resolved < 0 || resolved >= columns) {
                    throw new DataFileException(source, "column index " + index + " is out of range: line " + firstLine + " has " + columns
                            + " cells, so indices go from 0 to " + (columns - 1) + " (or " + -columns + " to -1 from the end)");
                }
                result[k] = resolved;
            }
            return result;
        }

        String where(int line, int column) {
            return "line " + line + ", column " + describe(column);
        }

        private String describe(int column) {
            return (column + 1) + (names == null ? "" : " ('" + names.get(column) + "')");
        }
    }

    /** A growing array of floats that refuses to grow past the heap, with a DataFileException naming the file. */
    private static final class Floats {
        private final String source;
        private float[] values = new float[1024];
        private int size;

        Floats(String source) {
            this.source = source;
        }

        void add(float value) throws DataFileException {
            if (size == values.length) {
                long grown = Math.min(2L * values.length, Integer.MAX_VALUE - 8);
                if (grown == values.length || !Heap.fits(4 * (grown + size))) {
                    throw new DataFileException(source, String.format(java.util.Locale.ROOT, "holds more numbers than fit in the %s the JVM "
                            + "has free (%,d read so far); give the JVM more memory (-Xmx) or read a smaller file", Heap.describe(Heap.free()), size));
                }
                values = Arrays.copyOf(values, (int) grown);
            }
            values[size++] = value;
        }

        float[] toArray() {
            return Arrays.copyOf(values, size);
        }
    }
}

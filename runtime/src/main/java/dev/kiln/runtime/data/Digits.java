package dev.kiln.runtime.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/**
 * Loads the UCI "Optical Recognition of Handwritten Digits" set as scikit-learn ships it
 * ({@code sklearn/datasets/data/digits.csv.gz}): 1,797 rows of 64 pixel counts 0 to 16 (an 8x8
 * image, row-major) followed by the digit 0 to 9, no header, raw or gzipped. Kiln's examples ship
 * it as the resource {@code /digits.csv.gz} (CC BY 4.0, E. Alpaydin and C. Kaynak; see NOTICE).
 *
 * <p>Features are the raw counts; scale them with {@link Scaling#divide(Dataset, float)} by
 * {@link #MAX_PIXEL}. Targets are the digit as a float (target size 1).
 */
public final class Digits {
    /** The side of the square image. */
    public static final int SIDE = 8;
    /** The largest pixel value: the number of set pixels in a 4x4 block of the original 32x32 bitmap. */
    public static final int MAX_PIXEL = 16;
    /** The number of classes, the digits 0 to 9. */
    public static final int CLASSES = 10;

    private Digits() {
    }

    /** Loads the file with flat features {@code (64)}. */
    public static Dataset load(Path file) throws IOException {
        return load(file, ImageLayout.FLAT);
    }

    /** Loads the file with features in the given layout: {@code (64)} or {@code (8, 8, 1)}. */
    public static Dataset load(Path file, ImageLayout layout) throws IOException {
        return check(reader().read(file), file.toString(), layout);
    }

    /**
     * Loads from a stream, raw or gzipped, such as
     * {@code Digits.class.getResourceAsStream("/digits.csv.gz")}; {@code source} names it in errors.
     * The stream is not closed.
     */
    public static Dataset load(InputStream in, String source, ImageLayout layout) throws IOException {
        if (in == null) {
            throw new DataFileException(source, "the stream is null: the resource was not found on the class path");
        }
        return check(reader().read(in, source), source, layout);
    }

    private static CsvReader reader() {
        return new CsvReader().label(-1);
    }

    private static Dataset check(Dataset data, String source, ImageLayout layout) throws DataFileException {
        int pixels = SIDE * SIDE;
        if (data.featureSize() != pixels) {
            throw new DataFileException(source, "rows have " + (data.featureSize() + 1) + " cells but the digits file has " + (pixels + 1)
                    + " (64 pixels and the label); this is not scikit-learn's digits.csv");
        }
        float[] x = data.features();
        for (int i = 0; i < x.length; i++) {
            if (!(x[i] >= 0 && x[i] <= MAX_PIXEL)) {
                throw new DataFileException(source, "row " + (i / pixels + 1) + ", pixel " + (i % pixels + 1) + " is " + x[i] + ", outside 0.."
                        + MAX_PIXEL + "; this is not scikit-learn's digits.csv");
            }
        }
        float[] y = data.targets();
        for (int i = 0; i < y.length; i++) {
            if (y[i] >= CLASSES) {
                throw new DataFileException(source, "row " + (i + 1) + " has label " + (int) y[i] + ", outside 0.." + (CLASSES - 1)
                        + "; this is not scikit-learn's digits.csv");
            }
        }
        return new Dataset(x, layout.shape(SIDE, SIDE), y, 1);
    }
}

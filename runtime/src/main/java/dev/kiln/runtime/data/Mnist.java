package dev.kiln.runtime.data;

import dev.kiln.runtime.Heap;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Loads MNIST and datasets in the same IDX format (Fashion-MNIST, KMNIST): an images file and a
 * labels file, each raw or gzipped.
 *
 * <p>Features are the raw pixel values 0 to 255 as floats; scale them with
 * {@link Scaling#divide(Dataset, float)} by 255. Targets are the class index as a float, one per
 * sample (target size 1), as sparse softmax cross-entropy wants. The feature shape is
 * {@link ImageLayout#FLAT} {@code (rows * cols)} unless another layout is asked for:
 * {@link ImageLayout#CHANNELS_LAST} gives {@code (rows, cols, 1)} for convolutions.
 */
public final class Mnist {
    /** The number of classes of MNIST and Fashion-MNIST. */
    public static final int CLASSES = 10;

    private Mnist() {
    }

    /** Loads an images file and its labels, flat {@code (rows * cols)}, with labels 0 to 9. */
    public static Dataset load(Path images, Path labels) throws IOException {
        return load(images, labels, ImageLayout.FLAT, CLASSES);
    }

    /** Loads an images file and its labels in the given layout, with labels 0 to 9. */
    public static Dataset load(Path images, Path labels, ImageLayout layout) throws IOException {
        return load(images, labels, layout, CLASSES);
    }

    /**
     * Loads an images file {@code (count, rows, cols)} and its labels file {@code (count)}.
     *
     * @param classes labels must be in {@code [0, classes)}
     * @throws DataFileException if a file is missing or malformed, the counts differ, or a label is
     *     out of range
     */
    public static Dataset load(Path images, Path labels, ImageLayout layout, int classes) throws IOException {
        if (classes <= 0) {
            throw new IllegalArgumentException("classes is " + classes + "; it must be positive");
        }
        IdxFile x = IdxFile.read(images, 3);
        IdxFile y = IdxFile.read(labels, 1);
        int[] dims = x.dimensions();
        int count = dims[0];
        if (y.size() != count) {
            throw new DataFileException(labels.toString(), "holds " + y.size() + " labels but " + images + " holds " + count
                    + " images; pass the labels file of the same set (train-labels with train-images, t10k-labels with t10k-images)");
        }
        float[] targets = new float[count];
        for (int i = 0; i < count; i++) {
            int label = y.get(i);
            if (label >= classes) {
                throw new DataFileException(labels.toString(), "label " + i + " is " + label + ", outside 0.." + (classes - 1)
                        + "; pass the number of classes if the dataset has more than " + classes);
            }
            targets[i] = label;
        }
        if (!Heap.fits(4L * x.size())) {
            throw new DataFileException(images.toString(), "its " + x.size() + " pixels need " + Heap.describe(4L * x.size()) + " as floats, more than the "
                    + Heap.describe(Heap.free()) + " the JVM has free; give the JVM more memory (-Xmx)");
        }
        float[] features = new float[x.size()];
        for (int i = 0; i < features.length; i++) {
            features[i] = x.get(i);
        }
        return new Dataset(features, layout.shape(dims[1], dims[2]), targets, 1);
    }

    /** Loads the training set, flat, from a directory in the layout of MNIST's download. */
    public static Dataset train(Path directory) throws IOException {
        return train(directory, ImageLayout.FLAT);
    }

    /** Loads the test set, flat, from a directory in the layout of MNIST's download. */
    public static Dataset test(Path directory) throws IOException {
        return test(directory, ImageLayout.FLAT);
    }

    /**
     * Loads the training set (60,000 images for MNIST) from a directory holding
     * {@code train-images-idx3-ubyte} and {@code train-labels-idx1-ubyte}, each raw or with
     * {@code .gz} (the raw file wins if both exist).
     */
    public static Dataset train(Path directory, ImageLayout layout) throws IOException {
        return load(find(directory, "train-images-idx3-ubyte"), find(directory, "train-labels-idx1-ubyte"), layout);
    }

    /**
     * Loads the test set (10,000 images for MNIST) from a directory holding
     * {@code t10k-images-idx3-ubyte} and {@code t10k-labels-idx1-ubyte}, each raw or with
     * {@code .gz} (the raw file wins if both exist).
     */
    public static Dataset test(Path directory, ImageLayout layout) throws IOException {
        return load(find(directory, "t10k-images-idx3-ubyte"), find(directory, "t10k-labels-idx1-ubyte"), layout);
    }

    /** The file {@code name} in the directory, or {@code name.gz} if only that exists. */
    private static Path find(Path directory, String name) throws IOException {
        for (Path candidate : List.of(directory.resolve(name), directory.resolve(name + ".gz"))) {
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new DataFileException(directory.toString(), "has neither " + name + " nor " + name + ".gz; download the four files of "
                + "MNIST or Fashion-MNIST into this directory, keeping their names");
    }
}

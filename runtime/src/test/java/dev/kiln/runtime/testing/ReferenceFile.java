package dev.kiln.runtime.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * Tensors recorded from PyTorch by the scripts in {@code tools/reference}, in a plain text format:
 * lines starting with {@code #} are comments; {@code tensor NAME D0 D1 ...} starts a tensor (no
 * dimensions for a scalar), followed by its values separated by white space.
 */
public final class ReferenceFile {
    private final String source;
    private final Map<String, float[]> values = new LinkedHashMap<>();
    private final Map<String, int[]> shapes = new LinkedHashMap<>();

    private ReferenceFile(String source) {
        this.source = source;
    }

    /** Reads a test resource such as {@code /reference/dense_sparse.ref}. */
    public static ReferenceFile resource(String path) {
        try (InputStream in = ReferenceFile.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + path + "; record it with the scripts in tools/reference");
            }
            return parse(path, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads a reference file from disk, such as the source copy of a test resource being regenerated. */
    public static ReferenceFile read(java.nio.file.Path file) throws IOException {
        return parse(file.toString(), java.nio.file.Files.readString(file));
    }

    static ReferenceFile parse(String source, String text) {
        ReferenceFile file = new ReferenceFile(source);
        String name = null;
        int[] shape = null;
        List<Float> numbers = new ArrayList<>();
        for (String line : text.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            if (trimmed.startsWith("tensor ")) {
                file.finish(name, shape, numbers);
                String[] parts = trimmed.split("\\s+");
                name = parts[1];
                shape = Arrays.stream(parts, 2, parts.length).mapToInt(Integer::parseInt).toArray();
                numbers = new ArrayList<>();
            } else {
                for (String token : trimmed.split("\\s+")) {
                    numbers.add(Float.parseFloat(token));
                }
            }
        }
        file.finish(name, shape, numbers);
        return file;
    }

    private void finish(String name, int[] shape, List<Float> numbers) {
        if (name == null) {
            return;
        }
        int expected = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        if (numbers.size() != expected) {
            throw new IllegalStateException(source + ": tensor " + name + " " + Arrays.toString(shape) + " needs " + expected
                    + " values but has " + numbers.size());
        }
        float[] data = new float[expected];
        for (int i = 0; i < expected; i++) {
            data[i] = numbers.get(i);
        }
        values.put(name, data);
        shapes.put(name, shape);
    }

    public float[] get(String name) {
        float[] data = values.get(name);
        if (data == null) {
            throw new NoSuchElementException(source + " has no tensor " + name + "; it has " + values.keySet());
        }
        return data.clone();
    }

    public float scalar(String name) {
        return get(name)[0];
    }

    public int[] shape(String name) {
        get(name);
        return shapes.get(name).clone();
    }

    /** The names of the tensors, in file order. */
    public List<String> names() {
        return List.copyOf(values.keySet());
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }

    /**
     * The largest {@code |actual - expected| / max(|expected|, floor)} over all elements; the floor
     * keeps values that are zero up to rounding from dominating.
     */
    public static double maxRelativeDifference(float[] actual, float[] expected, double floor) {
        if (actual.length != expected.length) {
            throw new AssertionError("length " + actual.length + " != expected " + expected.length);
        }
        double max = 0;
        for (int i = 0; i < actual.length; i++) {
            double diff = Math.abs((double) actual[i] - expected[i]) / Math.max(Math.abs(expected[i]), floor);
            if (!(diff <= max)) {
                max = diff;
            }
        }
        return max;
    }

    /**
     * The normwise difference {@code max|actual - expected| / max|expected|}: how far apart two
     * computations of one tensor are, relative to the tensor's scale.
     */
    public static double maxNormwiseDifference(float[] actual, float[] expected) {
        if (actual.length != expected.length) {
            throw new AssertionError("length " + actual.length + " != expected " + expected.length);
        }
        double maxDiff = 0;
        double scale = Double.MIN_VALUE;
        for (int i = 0; i < actual.length; i++) {
            double diff = Math.abs((double) actual[i] - expected[i]);
            if (!(diff <= maxDiff)) {
                maxDiff = diff;
            }
            scale = Math.max(scale, Math.abs(expected[i]));
        }
        return maxDiff / scale;
    }
}

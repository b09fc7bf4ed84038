package dev.kiln.runtime.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import dev.kiln.runtime.Heap;
import java.util.Arrays;

/**
 * One array of unsigned bytes in the IDX format of MNIST, raw or gzipped. The file starts with a
 * big-endian magic number {@code 0x000008NN} (two zero bytes, the data type {@code 0x08} for
 * unsigned bytes, then the number of dimensions {@code NN}), then one big-endian int per dimension,
 * then the values in row-major order. Image files have 3 dimensions {@code (count, rows, cols)},
 * label files 1 {@code (count)}.
 */
public final class IdxFile {
    /** The data type byte of unsigned bytes, the only type MNIST-style files use. */
    static final int UNSIGNED_BYTE = 0x08;

    private final String source;
    private final int[] dimensions;
    private final byte[] data;

    private IdxFile(String source, int[] dimensions, byte[] data) {
        this.source = source;
        this.dimensions = dimensions;
        this.data = data;
    }

    /**
     * Reads a file of unsigned bytes with the given number of dimensions (3 for images, 1 for
     * labels), raw or gzipped.
     *
     * @throws DataFileException if the file is missing, is not IDX, has another data type or
     *     number of dimensions, is truncated, or has bytes after the data
     */
    public static IdxFile read(Path file, int dimensions) throws IOException {
        try (InputStream in = Inputs.open(file)) {
            return parse(in, file.toString(), dimensions);
        }
    }

    /** Like {@link #read(Path, int)} from a stream (raw or gzipped); {@code source} names it in errors. */
    public static IdxFile read(InputStream stream, String source, int dimensions) throws IOException {
        return parse(Inputs.decompressIfGzip(stream, source), source, dimensions);
    }

    private static IdxFile parse(InputStream in, String source, int expectedDimensions) throws IOException {
        int expectedMagic = (UNSIGNED_BYTE << 8) | expectedDimensions;
        byte[] head = in.readNBytes(4);
        if (head.length < 4) {
            throw new DataFileException(source, "is " + head.length + " bytes long, too short for the 4-byte IDX magic number "
                    + hex(expectedMagic) + "; the file is empty or truncated");
        }
        int magic = bigEndian(head, 0);
        if (head[0] != 0 || head[1] != 0) {
            throw new DataFileException(source, "magic number is " + hex(magic) + " but an IDX file starts with " + hex(expectedMagic)
                    + "; this is not an IDX file (MNIST files are named like train-images-idx3-ubyte[.gz])");
        }
        int type = head[2] & 0xff;
        if (type != UNSIGNED_BYTE) {
            throw new DataFileException(source, "magic number is " + hex(magic) + " but expected " + hex(expectedMagic) + ": data type byte "
                    + String.format("0x%02X", type) + " (" + typeName(type) + ") is not 0x08 (unsigned byte), the only type Kiln reads");
        }
        int count = head[3] & 0xff;
        if (count != expectedDimensions) {
            throw new DataFileException(source, "magic number is " + hex(magic) + " but expected " + hex(expectedMagic) + ": the file has "
                    + count + " dimension(s) where " + kind(expectedDimensions) + " has " + expectedDimensions
                    + "; check that the images and labels files are not swapped");
        }
        byte[] dimensionBytes = in.readNBytes(4 * count);
        if (dimensionBytes.length < 4 * count) {
            throw new DataFileException(source, "ends inside the header: expected " + 4 * count
                    + " bytes of dimensions after the magic number, found " + dimensionBytes.length + "; the file is truncated");
        }
        int[] dims = new int[count];
        long size = 1;
        for (int i = 0; i < count; i++) {
            dims[i] = bigEndian(dimensionBytes, 4 * i);
            if (dims[i] < 0) {
                throw new DataFileException(source, "dimension " + i + " is " + Integer.toUnsignedString(dims[i])
                        + ", more than Kiln can hold in one array; the file is corrupt");
            }
            if (i > 0 && dims[i] == 0) {
                throw new DataFileException(source, "dimensions " + Arrays.toString(Arrays.copyOf(dims, i + 1)) + " give each "
                        + (count == 3 ? "image" : "entry") + " no values; the header is corrupt");
            }
            size *= Math.max(dims[i], 1);
            if (size > Integer.MAX_VALUE - 8) {
                throw new DataFileException(source, "dimensions " + Arrays.toString(Arrays.copyOf(dims, i + 1))
                        + " hold more than 2^31 values, more than Kiln can hold in one array; split the file or check that it is not corrupt");
            }
        }
        if (count > 0 && dims[0] == 0) {
            size = 0;
        }
        if (!Heap.fits(2 * size)) {
            throw new DataFileException(source, "dimensions " + Arrays.toString(dims) + " hold " + Heap.describe(size) + " of values, more than the "
                    + Heap.describe(Heap.free()) + " the JVM has free; give the JVM more memory (-Xmx) or read a smaller file");
        }
        byte[] data = in.readNBytes((int) size);
        if (data.length < size) {
            throw new DataFileException(source, "is truncated: dimensions " + Arrays.toString(dims) + " need " + size + " bytes of "
                    + (expectedDimensions == 1 ? "labels" : "pixels") + " after the header, found " + data.length
                    + "; download or decompress the file again");
        }
        if (in.read() != -1) {
            throw new DataFileException(source, "has bytes after the " + size + " bytes that dimensions " + Arrays.toString(dims)
                    + " describe; the header does not match the data, so the file is corrupt");
        }
        return new IdxFile(source, dims, data);
    }

    /** The file (or stream name) this was read from. */
    public String source() {
        return source;
    }

    /** The dimensions from the header, such as {@code (60000, 28, 28)}. */
    public int[] dimensions() {
        return dimensions.clone();
    }

    /** The number of values: the product of the dimensions. */
    public int size() {
        return data.length;
    }

    /** The value at a flat row-major index, 0 to 255. */
    public int get(int index) {
        return data[index] & 0xff;
    }

    private static int bigEndian(byte[] b, int at) {
        return (b[at] & 0xff) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8 | (b[at + 3] & 0xff);
    }

    private static String hex(int magic) {
        return String.format("0x%08X", magic);
    }

    private static String kind(int dimensions) {
        return switch (dimensions) {
            case 1 -> "a labels file";
            case 3 -> "an images file";
            default -> "the expected file";
        };
    }

    private static String typeName(int type) {
        return switch (type) {
            case 0x09 -> "signed byte";
            case 0x0B -> "short";
            case 0x0C -> "int";
            case 0x0D -> "float";
            case 0x0E -> "double";
            default -> "not an IDX type";
        };
    }
}

package dev.kiln.runtime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MnistTest {
    /** Three 2x3 images; pixel values cover 0, 255 and bytes above 127 (unsigned). */
    private static final byte[] PIXELS = {
        0, 1, 2, 3, 4, 5,
        (byte) 255, (byte) 128, 127, 0, 0, 9,
        10, 20, 30, 40, 50, (byte) 200,
    };
    private static final float[] PIXEL_VALUES = {0, 1, 2, 3, 4, 5, 255, 128, 127, 0, 0, 9, 10, 20, 30, 40, 50, 200};

    @TempDir
    Path dir;

    private Path write(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    private Path images() throws IOException {
        return write("images", IdxBytes.images(3, 2, 3, PIXELS));
    }

    private Path labels() throws IOException {
        return write("labels", IdxBytes.labels((byte) 0, (byte) 9, (byte) 4));
    }

    private String messageOf(Path images, Path labels) {
        return assertThrows(DataFileException.class, () -> Mnist.load(images, labels)).getMessage();
    }

    @Test
    void loadsRawPairAsFlatPixelsAndClassIndices() throws IOException {
        Dataset data = Mnist.load(images(), labels());

        assertEquals(3, data.size());
        assertArrayEquals(new int[] {6}, data.featureShape());
        assertArrayEquals(PIXEL_VALUES, data.features());
        assertEquals(1, data.targetSize());
        assertArrayEquals(new float[] {0, 9, 4}, data.targets());
    }

    @Test
    void channelsLastLayoutKeepsThePixelsAndGivesRowsColsOne() throws IOException {
        Dataset data = Mnist.load(images(), labels(), ImageLayout.CHANNELS_LAST);

        assertArrayEquals(new int[] {2, 3, 1}, data.featureShape());
        assertArrayEquals(PIXEL_VALUES, data.features());
    }

    @Test
    void detectsGzipByContentNotByName() throws IOException {
        Path gzippedWithoutSuffix = write("images.raw", IdxBytes.gzip(IdxBytes.images(3, 2, 3, PIXELS)));
        Path rawWithGzSuffix = write("labels.gz", IdxBytes.labels((byte) 0, (byte) 9, (byte) 4));

        Dataset data = Mnist.load(gzippedWithoutSuffix, rawWithGzSuffix);

        assertArrayEquals(PIXEL_VALUES, data.features());
        assertArrayEquals(new float[] {0, 9, 4}, data.targets());
    }

    @Test
    void loadsTrainAndTestFromAnMnistDirectoryRawOrGzipped() throws IOException {
        write("train-images-idx3-ubyte.gz", IdxBytes.gzip(IdxBytes.images(3, 2, 3, PIXELS)));
        write("train-labels-idx1-ubyte", IdxBytes.labels((byte) 0, (byte) 9, (byte) 4));
        write("t10k-images-idx3-ubyte", IdxBytes.images(1, 2, 3, Arrays.copyOf(PIXELS, 6)));
        write("t10k-images-idx3-ubyte.gz", IdxBytes.gzip(IdxBytes.images(1, 2, 3, new byte[] {9, 9, 9, 9, 9, 9})));
        write("t10k-labels-idx1-ubyte.gz", IdxBytes.gzip(IdxBytes.labels((byte) 7)));

        Dataset train = Mnist.train(dir);
        Dataset test = Mnist.test(dir, ImageLayout.CHANNELS_LAST);

        assertArrayEquals(PIXEL_VALUES, train.features());
        assertArrayEquals(new float[] {0, 9, 4}, train.targets());
        assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5}, test.features(), "the raw file wins over the .gz one");
        assertArrayEquals(new int[] {2, 3, 1}, test.featureShape());
        assertArrayEquals(new float[] {7}, test.targets());
    }

    @Test
    void directoryWithoutTheFilesNamesTheDirectoryAndTheFile() throws IOException {
        write("train-images-idx3-ubyte", IdxBytes.images(3, 2, 3, PIXELS));

        String message = assertThrows(DataFileException.class, () -> Mnist.train(dir)).getMessage();

        assertTrue(message.startsWith(dir.toString()), message);
        assertTrue(message.contains("train-labels-idx1-ubyte.gz"), message);
    }

    @Test
    void missingFileIsNamed() throws IOException {
        Path missing = dir.resolve("nope-images");

        String message = messageOf(missing, labels());

        assertTrue(message.startsWith(missing.toString()), message);
        assertTrue(message.contains("no such file"), message);
    }

    @Test
    void badMagicShowsFoundAndExpected() throws IOException {
        Path images = write("images", IdxBytes.idx(0x12345678, new int[] {3, 2, 3}, PIXELS));

        String message = messageOf(images, labels());

        assertTrue(message.startsWith(images.toString()), message);
        assertTrue(message.contains("0x12345678"), message);
        assertTrue(message.contains("0x00000803"), message);
    }

    @Test
    void swappedFilesAreReportedByTheirMagic() throws IOException {
        Path labels = labels();

        String message = messageOf(labels, images());

        assertTrue(message.startsWith(labels.toString()), message);
        assertTrue(message.contains("0x00000801 but expected 0x00000803"), message);
        assertTrue(message.contains("swapped"), message);
    }

    @Test
    void wrongDataTypeByteIsNamed() throws IOException {
        Path images = write("images", IdxBytes.idx(0x00000D03, new int[] {3, 2, 3}, PIXELS));

        String message = messageOf(images, labels());

        assertTrue(message.contains("data type byte 0x0D (float)"), message);
        assertTrue(message.contains("0x08 (unsigned byte)"), message);
    }

    @Test
    void truncatedPixelsSayHowManyBytesWereExpectedAndFound() throws IOException {
        Path images = write("images", IdxBytes.images(3, 2, 3, Arrays.copyOf(PIXELS, 10)));

        String message = messageOf(images, labels());

        assertTrue(message.startsWith(images.toString()), message);
        assertTrue(message.contains("need 18 bytes of pixels after the header, found 10"), message);
    }

    @Test
    void truncatedHeaderIsReported() throws IOException {
        Path images = write("images", Arrays.copyOf(IdxBytes.images(3, 2, 3, PIXELS), 9));

        String message = messageOf(images, labels());

        assertTrue(message.contains("expected 12 bytes of dimensions after the magic number, found 5"), message);
    }

    @Test
    void truncatedGzipIsReported() throws IOException {
        byte[] gz = IdxBytes.gzip(IdxBytes.images(3, 2, 3, PIXELS));
        Path images = write("images.gz", Arrays.copyOf(gz, gz.length - 12));

        String message = messageOf(images, labels());

        assertTrue(message.startsWith(images.toString()), message);
        assertTrue(message.contains("gzip data is corrupt or ends early"), message);
    }

    @Test
    void bytesAfterTheDataAreReported() throws IOException {
        byte[] longer = Arrays.copyOf(PIXELS, PIXELS.length + 1);
        Path images = write("images", IdxBytes.idx(0x00000803, new int[] {3, 2, 3}, longer));

        String message = messageOf(images, labels());

        assertTrue(message.contains("has bytes after the 18 bytes"), message);
    }

    @Test
    void labelCountDifferentFromImageCountNamesBothFiles() throws IOException {
        Path images = images();
        Path labels = write("labels", IdxBytes.labels((byte) 1, (byte) 2));

        String message = messageOf(images, labels);

        assertTrue(message.startsWith(labels.toString()), message);
        assertTrue(message.contains("holds 2 labels but " + images + " holds 3 images"), message);
    }

    @Test
    void labelOutOfRangeIsReportedUnlessMoreClassesAreDeclared() throws IOException {
        Path images = images();
        Path labels = write("labels", IdxBytes.labels((byte) 0, (byte) 1, (byte) 10));

        String message = messageOf(images, labels);

        assertTrue(message.contains("label 2 is 10, outside 0..9"), message);
        assertArrayEquals(new float[] {0, 1, 10}, Mnist.load(images, labels, ImageLayout.FLAT, 11).targets());
    }
}

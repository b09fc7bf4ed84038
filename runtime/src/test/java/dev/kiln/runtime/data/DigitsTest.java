package dev.kiln.runtime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class DigitsTest {
    /** The file the examples ship, relative to the runtime module (where Maven runs the tests). */
    private static final Path SHIPPED = Path.of("../examples/src/main/resources/digits.csv.gz");

    private static String row(int fill, int label) {
        return IntStream.range(0, 64).mapToObj(i -> String.valueOf(i == 0 ? 16 : fill)).collect(Collectors.joining(",")) + "," + label + "\n";
    }

    private static Dataset load(String text, ImageLayout layout) throws IOException {
        return Digits.load(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "digits.csv", layout);
    }

    @Test
    void loadsRowsOf64PixelsAndADigit() throws IOException {
        Dataset data = load(row(3, 7) + row(0, 0), ImageLayout.CHANNELS_LAST);

        assertArrayEquals(new int[] {8, 8, 1}, data.featureShape());
        assertArrayEquals(new float[] {7, 0}, data.targets());
        assertEquals(16, data.features()[0]);
        assertEquals(3, data.features()[63]);
        assertEquals(0, data.features()[127]);
    }

    @Test
    void rejectsPixelsAbove16LabelsAbove9AndOtherWidths() {
        String pixel = assertThrows(DataFileException.class, () -> load(row(17, 1), ImageLayout.FLAT)).getMessage();
        String label = assertThrows(DataFileException.class, () -> load(row(1, 10), ImageLayout.FLAT)).getMessage();
        String width = assertThrows(DataFileException.class, () -> load("1,2,3\n", ImageLayout.FLAT)).getMessage();

        assertTrue(pixel.contains("row 1, pixel 2 is 17.0, outside 0..16"), pixel);
        assertTrue(label.contains("row 1 has label 10, outside 0..9"), label);
        assertTrue(width.contains("rows have 3 cells but the digits file has 65"), width);
    }

    @Test
    void shippedFileHasTheUciTestSet() throws IOException {
        Dataset data = Digits.load(SHIPPED);

        assertEquals(1797, data.size());
        assertArrayEquals(new int[] {64}, data.featureShape());
        assertArrayEquals(new float[] {0, 0, 5, 13, 9, 1, 0, 0}, Arrays.copyOf(data.features(), 8));
        assertEquals(0, data.targets()[0]);
        assertEquals(8, data.targets()[1796]);
        int[] counts = new int[10];
        for (float y : data.targets()) {
            counts[(int) y]++;
        }
        assertArrayEquals(new int[] {178, 182, 177, 183, 181, 182, 181, 179, 174, 180}, counts);
        float max = Collections.max(IntStream.range(0, data.features().length).mapToObj(i -> data.features()[i]).toList());
        assertEquals(16, max);
    }
}

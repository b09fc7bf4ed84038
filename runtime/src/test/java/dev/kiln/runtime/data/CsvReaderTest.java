package dev.kiln.runtime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvReaderTest {
    @TempDir
    Path dir;

    private Path write(String text) throws IOException {
        return Files.writeString(dir.resolve("data.csv"), text);
    }

    private String errorOf(CsvReader reader, String text) throws IOException {
        Path file = write(text);
        String message = assertThrows(DataFileException.class, () -> reader.read(file)).getMessage();
        assertTrue(message.startsWith(file.toString()), message);
        return message;
    }

    @Test
    void labelColumnByNameInTheMiddleBecomesAClassIndexTarget() throws IOException {
        Path file = write("a,label,b\n1.5,2,-3\n4,0,5e-1\n");

        Dataset data = new CsvReader().header(true).label("label").read(file);

        assertEquals(2, data.size());
        assertArrayEquals(new int[] {2}, data.featureShape());
        assertArrayEquals(new float[] {1.5f, -3, 4, 0.5f}, data.features());
        assertEquals(1, data.targetSize());
        assertArrayEquals(new float[] {2, 0}, data.targets());
    }

    @Test
    void negativeIndexCountsFromTheEndWithoutHeader() throws IOException {
        Path file = write("1,2,3\n4,5,6\n");

        Dataset data = new CsvReader().label(-1).read(file);

        assertArrayEquals(new float[] {1, 2, 4, 5}, data.features());
        assertArrayEquals(new float[] {3, 6}, data.targets());
    }

    @Test
    void targetColumnsKeepTheOrderAskedFor() throws IOException {
        Path file = write("x,y1,y2\n1,0.25,-2\n3,4,5\n");

        Dataset data = new CsvReader().header(true).targets("y2", "y1").read(file);

        assertEquals(2, data.targetSize());
        assertArrayEquals(new float[] {1, 3}, data.features());
        assertArrayEquals(new float[] {-2, 0.25f, 5, 4}, data.targets());
        assertArrayEquals(data.targets(), new CsvReader().header(true).targets(2, 1).read(file).targets());
    }

    @Test
    void readsGzippedStreamsAndToleratesQuotesSpacesBlankLinesCrlfAndBom() throws IOException {
        String text = "\uFEFF\"p\" ; \"q\" ; y\r\n 1 ; \"2\" ;1\r\n\r\n3;4;0\r\n";
        byte[] gz = IdxBytes.gzip(text.getBytes(StandardCharsets.UTF_8));

        Dataset data = new CsvReader().header(true).delimiter(';').label("y").read(new ByteArrayInputStream(gz), "stream.csv");

        assertArrayEquals(new float[] {1, 2, 3, 4}, data.features());
        assertArrayEquals(new float[] {1, 0}, data.targets());
    }

    @Test
    void acceptsNanAndInfinity() throws IOException {
        Dataset data = new CsvReader().label(0).read(write("1,nan,inf,-inf\n"));

        assertArrayEquals(new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}, data.features());
    }

    @Test
    void nonNumericCellNamesLineColumnAndHeaderName() throws IOException {
        String message = errorOf(new CsvReader().header(true).label("y"), "a,b,y\n1,2,0\n3,abc,1\n");

        assertTrue(message.contains("line 3, column 2 ('b'): 'abc' is not a number"), message);
    }

    @Test
    void javaOnlyNumberSyntaxIsNotANumber() throws IOException {
        String message = errorOf(new CsvReader().label(-1), "1,2f,0\n");

        assertTrue(message.contains("line 1, column 2: '2f' is not a number"), message);
    }

    @Test
    void raggedRowNamesBothLines() throws IOException {
        String message = errorOf(new CsvReader().header(true).label("y"), "a,b,y\n1,2,0\n3,1\n");

        assertTrue(message.contains("line 3 has 2 cells but line 1 has 3"), message);
    }

    @Test
    void emptyCellIsAnError() throws IOException {
        String message = errorOf(new CsvReader().label(-1), "1,,0\n");

        assertTrue(message.contains("line 1, column 2: the cell is empty"), message);
    }

    @Test
    void labelThatIsNotAClassIndexIsAnError() throws IOException {
        String message = errorOf(new CsvReader().label(-1), "1,2,0\n1,2,2.5\n");

        assertTrue(message.contains("line 2, column 3: label '2.5' is not a class index"), message);
    }

    @Test
    void unknownColumnNameListsTheColumns() throws IOException {
        String message = errorOf(new CsvReader().header(true).label("lable"), "a,label\n1,0\n");

        assertTrue(message.contains("no column named 'lable'; the header on line 1 names [a, label]"), message);
    }

    @Test
    void columnIndexOutOfRangeGivesTheRange() throws IOException {
        String message = errorOf(new CsvReader().label(3), "1,2,0\n");

        assertTrue(message.contains("column index 3 is out of range: line 1 has 3 cells, so indices go from 0 to 2"), message);
    }

    @Test
    void fileWithOnlyAHeaderHasNoRows() throws IOException {
        String message = errorOf(new CsvReader().header(true).label("y"), "a,y\n\n");

        assertTrue(message.contains("has no data rows after the header"), message);
    }

    @Test
    void missingFileIsNamed() {
        Path missing = dir.resolve("missing.csv");

        String message = assertThrows(DataFileException.class, () -> new CsvReader().label(0).read(missing)).getMessage();

        assertTrue(message.startsWith(missing + ": no such file"), message);
    }

    @Test
    void targetMustBeChosenAndNamesNeedAHeader() throws IOException {
        Path file = write("1,2\n");

        assertThrows(IllegalStateException.class, () -> new CsvReader().read(file));
        assertThrows(IllegalStateException.class, () -> new CsvReader().label("y").read(file));
    }
}

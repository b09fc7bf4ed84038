package dev.kiln.runtime.data;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;

/**
 * Coverage-guided fuzzing of the IDX and CSV readers (Jazzer), raw or gzipped. Whatever the bytes,
 * a read either gives a data set or throws the documented {@link DataFileException} naming the
 * source; any other exception, a hang or running out of memory is a finding. {@code mvn verify}
 * replays the committed inputs in {@code DataFileFuzzTestInputs}; see docs/fuzzing.md for a
 * fuzzing run.
 */
class DataFileFuzzTest {
    private static final String SOURCE = "fuzzed";

    @FuzzTest(maxDuration = "30s")
    void idxReadsOrRefusesWithDataFileException(byte[] bytes) throws IOException {
        for (int dimensions : new int[] {1, 3}) {
            try {
                IdxFile file = IdxFile.read(new ByteArrayInputStream(bytes), SOURCE, dimensions);
                int[] dims = file.dimensions();
                if (dimensions == 3) {
                    ImageLayout.CHANNELS_LAST.shape(dims[1], dims[2]);
                    ImageLayout.FLAT.shape(dims[1], dims[2]);
                }
            } catch (DataFileException e) {
                assertTrue(e.getMessage().startsWith(SOURCE + ": "), e.getMessage());
            }
        }
    }

    @FuzzTest(maxDuration = "30s")
    void csvReadsOrRefusesWithDataFileException(FuzzedDataProvider data) throws IOException {
        boolean header = data.consumeBoolean();
        boolean label = data.consumeBoolean();
        int column = data.consumeInt(-3, 3);
        char delimiter = data.pickValue(new char[] {',', ';', '\t'});
        CsvReader reader = new CsvReader().header(header).delimiter(delimiter);
        reader = label ? reader.label(column) : reader.targets(column);
        byte[] bytes = data.consumeRemainingAsBytes();
        try {
            Dataset read = reader.read(new ByteArrayInputStream(bytes), SOURCE);
            assertTrue(read.size() > 0 && read.featureSize() > 0);
        } catch (DataFileException e) {
            assertTrue(e.getMessage().startsWith(SOURCE + ": "), e.getMessage());
        }
    }
}

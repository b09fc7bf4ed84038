package dev.kiln.runtime.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.runtime.ParameterTensor;
import dev.kiln.runtime.Parameters;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeTensorsTest {
    @TempDir
    Path dir;

    private static Parameters filled(float start) {
        Parameters p = SafeTensorsFiles.tinyNet();
        for (int i = 0; i < p.size(); i++) {
            p.values()[i] = start + i * 0.5f;
        }
        return p;
    }

    private List<Path> directoryListing() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.toList();
        }
    }

    @Test
    void saveThenLoadRestoresEveryBitIncludingNanPayloadsAndNegativeZero() throws IOException {
        Parameters saved = filled(-3);
        saved.values()[0] = Float.intBitsToFloat(0x7fc00123);
        saved.values()[1] = -0.0f;
        Path file = dir.resolve("w.safetensors");

        SafeTensors.save(saved, file, Map.of(), NonFiniteValues.ALLOW);
        Parameters loaded = SafeTensorsFiles.tinyNet();
        SafeTensors.load(loaded, file, ExtraTensors.REJECT, NonFiniteValues.ALLOW);

        for (int i = 0; i < saved.size(); i++) {
            assertEquals(Float.floatToRawIntBits(saved.values()[i]), Float.floatToRawIntBits(loaded.values()[i]), "value " + i);
        }
    }

    @Test
    void nonFiniteWeightsAreRefusedBothWaysUnlessAllowed() throws IOException {
        Parameters diverged = filled(1);
        diverged.values()[13] = Float.POSITIVE_INFINITY; // hidden.bias[1]
        diverged.values()[20] = Float.NaN; // out.weight (1, 2)
        Path file = dir.resolve("w.safetensors");

        String saving = assertThrows(WeightFileException.class, () -> SafeTensors.save(diverged, file)).getMessage();
        assertTrue(saving.contains("cannot save: tensor 'hidden.bias' holds Infinity at (1), and 1 more values are not finite"), saving);
        assertEquals(List.of(), directoryListing(), "nothing is written, not even a temporary file");

        SafeTensors.save(diverged, file, Map.of(), NonFiniteValues.ALLOW);
        Parameters model = filled(7);
        String loading = assertThrows(WeightFileException.class, () -> SafeTensors.load(model, file)).getMessage();
        assertTrue(loading.startsWith(file + ": tensor 'hidden.bias' holds Infinity at (1), and 1 more values are not finite; nothing was loaded"), loading);
        assertArrayEquals(filled(7).values(), model.values(), "the parameters are unchanged");

        SafeTensors.load(model, file, ExtraTensors.REJECT, NonFiniteValues.ALLOW);
        assertTrue(Float.isNaN(model.get("out.weight")[5]));
    }

    @Test
    void layoutFollowsTheSpecWithAnAlignedHeaderAndTensorsInDeclarationOrder() throws IOException {
        Path file = dir.resolve("w.safetensors");
        SafeTensors.save(filled(0), file);

        byte[] bytes = Files.readAllBytes(file);
        long headerLength = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        String header = new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8);

        assertEquals(0, (8 + headerLength) % 8, "the data section starts 8-byte aligned");
        assertEquals(8 + headerLength + 23 * 4, bytes.length);
        assertEquals("{\"hidden.weight\":{\"dtype\":\"F32\",\"shape\":[3,4],\"data_offsets\":[0,48]},"
                + "\"hidden.bias\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[48,60]},"
                + "\"out.weight\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[60,84]},"
                + "\"out.bias\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[84,92]}}", header.stripTrailing());
        assertEquals(0.5f, ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getFloat((int) (8 + headerLength) + 4));
    }

    @Test
    void metadataIsSavedWithSortedKeysAndReadBack() throws IOException {
        Path file = dir.resolve("w.safetensors");

        SafeTensors.save(filled(0), file, Map.of("z", "last", "a", "first \"quoted\" é"));

        assertEquals(Map.of("a", "first \"quoted\" é", "z", "last"), SafeTensors.metadata(file));
        String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        assertTrue(text.contains("{\"__metadata__\":{\"a\":\"first \\\"quoted\\\" é\",\"z\":\"last\"},\"hidden.weight\""), text);
    }

    @Test
    void modelLevelSaveAndLoadUseTheParametersAndNameTheModel() throws IOException {
        Path file = dir.resolve("model.safetensors");
        ParametersOnlyModel model = new ParametersOnlyModel("TinyNet", filled(1));
        ParametersOnlyModel other = new ParametersOnlyModel("TinyNet", SafeTensorsFiles.tinyNet());

        SafeTensors.save(model, file);
        SafeTensors.load(other, file);

        assertArrayEquals(model.parameters().values(), other.parameters().values());
        assertEquals(Map.of("format", "pt", "kiln.model", "TinyNet"), SafeTensors.metadata(file));
    }

    @Test
    void tensorNamesWithQuotesAndUnicodeRoundTrip() throws IOException {
        Parameters odd = new Parameters(List.of(new ParameterTensor("a\"b\\c.é", 0, 2)));
        odd.set("a\"b\\c.é", new float[] {1, 2});
        Path file = dir.resolve("odd.safetensors");

        SafeTensors.save(odd, file);
        Parameters loaded = new Parameters(List.of(new ParameterTensor("a\"b\\c.é", 0, 2)));
        SafeTensors.load(loaded, file);

        assertArrayEquals(new float[] {1, 2}, loaded.values());
    }

    @Test
    void saveReplacesAnExistingFileAndLeavesNoTemporaryFile() throws IOException {
        Path file = dir.resolve("w.safetensors");
        Files.writeString(file, "old contents");

        SafeTensors.save(filled(2), file);

        assertEquals(List.of(file), directoryListing());
        Parameters loaded = SafeTensorsFiles.tinyNet();
        SafeTensors.load(loaded, file);
        assertArrayEquals(filled(2).values(), loaded.values());
    }

    @Test
    void failedSaveKeepsTheTargetAndRemovesTheTemporaryFile() throws IOException {
        Path target = Files.createDirectory(dir.resolve("w.safetensors"));
        Files.writeString(target.resolve("keep"), "a non-empty directory cannot be replaced by a file");

        assertThrows(IOException.class, () -> SafeTensors.save(filled(0), target));

        assertEquals(List.of(target), directoryListing());
        assertTrue(Files.exists(target.resolve("keep")));
    }

    @Test
    void saveIntoAMissingDirectoryNamesTheDirectory() {
        Path file = dir.resolve("missing/w.safetensors");

        String message = assertThrows(WeightFileException.class, () -> SafeTensors.save(filled(0), file)).getMessage();

        assertTrue(message.contains("directory " + dir.resolve("missing") + " does not exist; create it first"), message);
    }

    @Test
    void emptyTensorsAndUnknownDtypesOfIgnoredTensorsAreAccepted() throws IOException {
        Path file = SafeTensorsFiles.write(dir.resolve("extra.safetensors"), "{"
                + SafeTensorsFiles.tensor("empty", "F32", "[0,3]", 0, 0) + ","
                + SafeTensorsFiles.tensor("b", "F32", "[2]", 0, 8) + ","
                + SafeTensorsFiles.tensor("counter", "I64", "[]", 8, 16) + ","
                + SafeTensorsFiles.tensor("packed", "F4", "[4]", 16, 18) + "}", Arrays.copyOf(SafeTensorsFiles.floats(5), 18));
        Parameters p = new Parameters(List.of(new ParameterTensor("b", 0, 2)));

        SafeTensors.load(p, file, ExtraTensors.IGNORE);

        assertArrayEquals(new float[] {1, 2}, p.values());
    }

    /** A save killed halfway leaves its temporary file; the next save to the same file removes it, but not one still being written. */
    @Test
    void temporaryFilesOfKilledSavesAreRemovedByTheNextSave() throws IOException {
        Path file = dir.resolve("w.safetensors");
        long dead = ProcessHandle.allProcesses().mapToLong(ProcessHandle::pid).max().orElse(1) + 1000;
        Path killed = Files.writeString(dir.resolve(".w.safetensors." + dead + ".1f2e3d.tmp"), "half a file");
        Path old = Files.writeString(dir.resolve(".w.safetensors.9a8b7c.tmp"), "from before process ids were recorded");
        Files.setLastModifiedTime(old, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 3_600_000));
        Path recent = Files.writeString(dir.resolve(".w.safetensors.5d4c3b.tmp"), "maybe a save in progress");
        Path running = Files.writeString(dir.resolve(".w.safetensors." + ProcessHandle.current().pid() + ".aa.tmp"), "this process's");
        Path other = Files.writeString(dir.resolve(".other.safetensors." + dead + ".1f.tmp"), "another file's");

        SafeTensors.save(filled(0), file);

        assertEquals(List.of(recent, running, other, file).stream().sorted().toList(), directoryListing().stream().sorted().toList());
    }
}

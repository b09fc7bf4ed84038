package dev.kiln.runtime.io;

import dev.kiln.runtime.ParameterTensor;
import dev.kiln.runtime.Parameters;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Builds parameters and hand-made safetensors files for tests. */
final class SafeTensorsFiles {
    private SafeTensorsFiles() {
    }

    /** hidden.weight (3, 4), hidden.bias (3), out.weight (2, 3), out.bias (2): the TinyNet of tools/reference. */
    static Parameters tinyNet() {
        return new Parameters(List.of(new ParameterTensor("hidden.weight", 0, 3, 4), new ParameterTensor("hidden.bias", 12, 3),
                new ParameterTensor("out.weight", 15, 2, 3), new ParameterTensor("out.bias", 21, 2)));
    }

    /** A file with exactly this header text (no padding) and these data bytes. */
    static Path write(Path file, String header, byte[] data) throws IOException {
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer bytes = ByteBuffer.allocate(8 + json.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        bytes.putLong(json.length).put(json).put(data);
        return Files.write(file, bytes.array());
    }

    /** n little-endian F32 values 1, 2, 3, ... */
    static byte[] floats(int n) {
        ByteBuffer bytes = ByteBuffer.allocate(4 * n).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            bytes.putFloat(i + 1);
        }
        return bytes.array();
    }

    static String tensor(String name, String dtype, String shape, long begin, long end) {
        return "\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape + ",\"data_offsets\":[" + begin + "," + end + "]}";
    }
}

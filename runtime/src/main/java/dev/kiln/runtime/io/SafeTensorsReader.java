package dev.kiln.runtime.io;

import dev.kiln.runtime.ParameterTensor;
import dev.kiln.runtime.Parameters;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Loads a safetensors file into {@link Parameters}. Everything is checked, and every tensor read
 * into a staging copy, before the first parameter changes: a failed load changes nothing.
 */
final class SafeTensorsReader implements AutoCloseable {
    private static final int CHUNK_BYTES = 1 << 20;

    private final String file;
    private final FileChannel channel;
    private final SafeTensorsHeader header;
    private final long dataStart;

    private SafeTensorsReader(String file, FileChannel channel) throws IOException {
        this.file = file;
        this.channel = channel;
        long size = channel.size();
        if (size < 8) {
            throw new WeightFileException(file, "is " + size + " bytes long, shorter than the 8-byte header length that starts a safetensors file; "
                    + "the file is truncated or not safetensors: save it again");
        }
        long headerBytes = readFully(0, 8).getLong(0);
        if (headerBytes < 0 || headerBytes > SafeTensorsHeader.MAX_BYTES) {
            throw new WeightFileException(file, "the header length is " + Long.toUnsignedString(headerBytes) + " bytes, over the limit of "
                    + SafeTensorsHeader.MAX_BYTES + " (100 MB); this is not a safetensors file (a PyTorch .pt or .bin pickle?) or it is corrupt; "
                    + "save the weights with safetensors.torch.save_file");
        }
        if (headerBytes < 2) {
            throw new WeightFileException(file, "the header length is " + headerBytes
                    + " bytes, too short for a JSON object; the file is corrupt: save it again");
        }
        if (8 + headerBytes > size) {
            throw new WeightFileException(file, "is truncated: the header length says " + headerBytes + " bytes of header but only " + (size - 8)
                    + " bytes follow; copy or save the file again");
        }
        String json = utf8(readFully(8, (int) headerBytes));
        if (!json.startsWith("{")) {
            throw new WeightFileException(file, "the header does not start with '{' as the safetensors spec requires; "
                    + "the file is corrupt or not safetensors: save it again");
        }
        this.dataStart = 8 + headerBytes;
        this.header = SafeTensorsHeader.parse(file, json, size - dataStart);
    }

    /** Opens a file and checks its header against the spec. */
    static SafeTensorsReader open(Path path) throws IOException {
        if (!Files.exists(path)) {
            throw new WeightFileException(path.toString(), "no such file; check the path (relative paths start at " + Path.of("").toAbsolutePath()
                    + ") or save the weights first");
        }
        if (!Files.isRegularFile(path)) {
            throw new WeightFileException(path.toString(), "is not a regular file; give the path of a .safetensors file");
        }
        FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
        try {
            return new SafeTensorsReader(path.toString(), channel);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    Map<String, String> metadata() {
        return header.metadata;
    }

    /** Checks every tensor against the parameters, stages all values, then copies them in. */
    void loadInto(Parameters parameters, ExtraTensors extra) throws IOException {
        List<String> problems = new ArrayList<>();
        for (ParameterTensor t : parameters.tensors()) {
            TensorEntry e = header.tensors.get(t.name());
            if (e == null) {
                problems.add("the file has no tensor '" + t.name() + "' " + TensorEntry.shapeText(t.shape()) + "; it holds " + header.tensors.keySet()
                        + ". Save the file from a model with the same layers, or rename the state_dict keys to the model's names");
            } else if (!e.dtype().equals("F32")) {
                problems.add("tensor '" + t.name() + "' has dtype " + e.dtype() + " but Kiln reads only F32. Convert it before saving: "
                        + "save_file({k: v.float() for k, v in state_dict.items()}, path)");
            } else if (!Arrays.equals(e.shape(), Arrays.stream(t.shape()).asLongStream().toArray())) {
                problems.add("tensor '" + t.name() + "' has shape " + e.shapeText() + " in the file but the model expects "
                        + TensorEntry.shapeText(t.shape()) + ". " + shapeFix(e.shape(), t.shape()));
            }
        }
        if (extra == ExtraTensors.REJECT) {
            for (TensorEntry e : header.tensors.values()) {
                if (!hasTensor(parameters, e.name())) {
                    problems.add("the file has tensor '" + e.name() + "' " + e.shapeText() + " that the model does not have. Load with "
                            + "ExtraTensors.IGNORE to skip it, or leave it out of the state_dict when saving");
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new WeightFileException(file, "does not match the model's parameters; nothing was loaded:\n  - " + String.join("\n  - ", problems));
        }
        float[] staged = new float[parameters.size()];
        for (ParameterTensor t : parameters.tensors()) {
            readFloats(header.tensors.get(t.name()), staged, t.offset(), t.size());
        }
        parameters.setPytorchValues(staged);
    }

    private static String shapeFix(long[] found, int[] expected) {
        if (found.length == 2 && expected.length == 2 && found[0] == expected[1] && found[1] == expected[0]) {
            return "It is transposed: PyTorch and Kiln store a Linear weight as (out, in), Keras stores a Dense kernel as (in, out); "
                    + "transpose it before saving";
        }
        return "The file was saved from a different architecture; check the layer sizes of the @Network";
    }

    private static boolean hasTensor(Parameters parameters, String name) {
        for (ParameterTensor t : parameters.tensors()) {
            if (t.name().equals(name)) {
                return true;
            }
        }
        return false;
    }

    private void readFloats(TensorEntry e, float[] into, int offset, int count) throws IOException {
        long position = dataStart + e.begin();
        int done = 0;
        while (done < count) {
            int n = Math.min(count - done, CHUNK_BYTES / Float.BYTES);
            readFully(position, n * Float.BYTES).asFloatBuffer().get(into, offset + done, n);
            position += (long) n * Float.BYTES;
            done += n;
        }
    }

    private ByteBuffer readFully(long position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) < 0) {
                throw new WeightFileException(file, "ended at byte " + (position + buffer.position()) + " while reading; it was truncated while "
                        + "being read: load it again once it is complete");
            }
        }
        return buffer.flip();
    }

    private String utf8(ByteBuffer bytes) throws WeightFileException {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(bytes).toString();
        } catch (CharacterCodingException e) {
            throw new WeightFileException(file, "the header is not valid UTF-8; the file is corrupt or not safetensors: save it again", e);
        }
    }
}

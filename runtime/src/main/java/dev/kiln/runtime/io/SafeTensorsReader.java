package dev.kiln.runtime.io;

import dev.kiln.runtime.Heap;
import dev.kiln.runtime.ParameterTensor;
import dev.kiln.runtime.Parameters;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
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
    /**
     * The memory a header takes while it is checked, in bytes per byte of header: its bytes, its
     * text, and the entries (at least 45 bytes of JSON each, about 150 bytes in memory).
     */
    private static final long HEADER_MEMORY_FACTOR = 6;
    /** The most tensors a message names; the rest are counted. */
    private static final int NAMED = 10;

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
        long needed = HEADER_MEMORY_FACTOR * headerBytes;
        if (!Heap.fits(needed)) {
            throw new WeightFileException(file, "has a header of " + Heap.describe(headerBytes) + ", which needs about " + Heap.describe(needed)
                    + " of memory to check, more than the " + Heap.describe(Heap.free()) + " the JVM has free; a weight file's header is usually "
                    + "a few KB, so check the file, or give the JVM more memory (-Xmx)");
        }
        CharSequence json = text(readFully(8, (int) headerBytes));
        if (json.length() == 0 || json.charAt(0) != '{') {
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
        } catch (IOException | RuntimeException | Error e) {
            try {
                channel.close();
            } catch (IOException closing) {
                e.addSuppressed(closing);
            }
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

    /**
     * Checks every tensor against the parameters, stages all values, checks they are finite unless
     * allowed, then copies them in.
     */
    void loadInto(Parameters parameters, ExtraTensors extra, NonFiniteValues nonFinite) throws IOException {
        List<String> problems = new ArrayList<>();
        for (ParameterTensor t : parameters.tensors()) {
            TensorEntry e = header.tensors.get(t.name());
            if (e == null) {
                problems.add("the file has no tensor '" + t.name() + "' " + TensorEntry.shapeText(t.shape()) + "; it holds " + names(header.tensors.keySet())
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
            java.util.Set<String> names = new java.util.HashSet<>();
            for (ParameterTensor t : parameters.tensors()) {
                names.add(t.name());
            }
            int extras = 0;
            for (TensorEntry e : header.tensors.values()) {
                if (!names.contains(e.name()) && ++extras <= NAMED) {
                    problems.add("the file has tensor '" + e.name() + "' " + e.shapeText() + " that the model does not have. Load with "
                            + "ExtraTensors.IGNORE to skip it, or leave it out of the state_dict when saving");
                }
            }
            if (extras > NAMED) {
                problems.add(String.format(java.util.Locale.ROOT, "and %,d more tensors that the model does not have", extras - NAMED));
            }
        }
        if (!problems.isEmpty()) {
            throw new WeightFileException(file, "does not match the model's parameters; nothing was loaded:\n  - " + String.join("\n  - ", problems));
        }
        float[] staged = new float[parameters.size()];
        for (ParameterTensor t : parameters.tensors()) {
            readFloats(header.tensors.get(t.name()), staged, t.offset(), t.size());
        }
        if (nonFinite == NonFiniteValues.REJECT) {
            String found = NonFiniteValues.describeFirst(parameters, staged);
            if (found != null) {
                throw new WeightFileException(file, found + "; nothing was loaded. The weights were saved after training diverged; "
                        + "load them with NonFiniteValues.ALLOW to inspect them");
            }
        }
        parameters.setPytorchValues(staged);
    }

    /** Up to {@value #NAMED} names, then how many more: {@code [a, b, ... and 1,499,990 more]}. */
    private static String names(java.util.Collection<String> all) {
        List<String> shown = all.stream().limit(NAMED).toList();
        return all.size() <= NAMED ? shown.toString()
                : shown.toString().replaceFirst("]$", String.format(java.util.Locale.ROOT, ", ... and %,d more]", all.size() - NAMED));
    }

    private static String shapeFix(long[] found, int[] expected) {
        if (found.length == 2 && expected.length == 2 && found[0] == expected[1] && found[1] == expected[0]) {
            return "It is transposed: PyTorch and Kiln store a Linear weight as (out, in), Keras stores a Dense kernel as (in, out); "
                    + "transpose it before saving";
        }
        return "The file was saved from a different architecture; check the layer sizes of the @Network";
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

    /**
     * The header as text: read in place if it is ASCII, as headers almost always are; otherwise
     * checked to be valid UTF-8 through a small buffer, then decoded in one go.
     */
    private CharSequence text(ByteBuffer bytes) throws WeightFileException {
        CharSequence ascii = Json.ascii(bytes.array(), bytes.arrayOffset() + bytes.position(), bytes.remaining());
        if (ascii != null) {
            return ascii;
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        CharBuffer scratch = CharBuffer.allocate(8192);
        ByteBuffer input = bytes.duplicate();
        while (true) {
            CoderResult result = decoder.decode(input, scratch, true);
            if (result.isError()) {
                throw new WeightFileException(file, "the header is not valid UTF-8 at byte " + (8 + input.position())
                        + "; the file is corrupt or not safetensors: save it again");
            }
            scratch.clear();
            if (result.isUnderflow()) {
                break;
            }
        }
        return new String(bytes.array(), bytes.arrayOffset() + bytes.position(), bytes.remaining(), StandardCharsets.UTF_8);
    }
}

package dev.kiln.runtime.io;

import dev.kiln.runtime.Model;
import dev.kiln.runtime.Parameters;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Saves and loads weights in the safetensors format (https://github.com/huggingface/safetensors),
 * which PyTorch reads with {@code safetensors.torch.load_file} and writes with
 * {@code safetensors.torch.save_file}. Tensor names and shapes are PyTorch's, as in
 * {@link Parameters}: {@code hidden.weight} is {@code (out, in)}, so a {@code state_dict} of the
 * same architecture loads as is, without transposing.
 *
 * <p>Kiln writes every tensor as F32 and reads only F32 tensors. Saving is atomic (a temporary
 * file, flushed, then renamed over the target; temporary files left by a save that was killed are
 * removed by the next save to the same file). Loading checks the whole file and stages every
 * value before it changes a parameter, so a failed load leaves the parameters untouched; each
 * failure is a {@link WeightFileException} that names the file, the tensor, what was expected and
 * found, and how to fix it. NaN and infinite values are refused both ways unless
 * {@link NonFiniteValues#ALLOW} is given, and a header's memory is checked against the heap
 * before it is read, so no file makes the loader run out of memory.
 *
 * <pre>{@code
 * SafeTensors.save(model, Path.of("mnist.safetensors"));
 * SafeTensors.load(model, Path.of("mnist.safetensors"));
 * }</pre>
 */
public final class SafeTensors {
    /** The metadata key {@link #save(Model, Path)} stores the model's name under. */
    public static final String MODEL_KEY = "kiln.model";

    private SafeTensors() {
    }

    /** Saves the parameters without metadata. */
    public static void save(Parameters parameters, Path file) throws IOException {
        save(parameters, file, Map.of());
    }

    /**
     * Saves the parameters with string metadata, stored in the header's {@code __metadata__} with
     * sorted keys (so the same values give the same bytes).
     */
    public static void save(Parameters parameters, Path file, Map<String, String> metadata) throws IOException {
        save(parameters, file, metadata, NonFiniteValues.REJECT);
    }

    /**
     * Saves the parameters with string metadata.
     *
     * @param nonFinite whether NaN and infinite values are refused (the default), before anything is written, or saved
     * @throws WeightFileException if the directory does not exist or a value is not finite and refused
     */
    public static void save(Parameters parameters, Path file, Map<String, String> metadata, NonFiniteValues nonFinite) throws IOException {
        if (nonFinite == NonFiniteValues.REJECT) {
            String found = NonFiniteValues.describeFirst(parameters, parameters.pytorchValues());
            if (found != null) {
                throw new WeightFileException(file.toString(), "cannot save: " + found + "; the training diverged. Nothing was written; "
                        + "save with NonFiniteValues.ALLOW to keep the weights anyway");
            }
        }
        SafeTensorsWriter.save(parameters, file, metadata);
    }

    /**
     * Saves a model's parameters with the metadata {@code format: pt} (the tensors follow PyTorch's
     * layout, which Hugging Face tools check) and {@value #MODEL_KEY}: the model's name.
     */
    public static void save(Model model, Path file) throws IOException {
        save(model, file, NonFiniteValues.REJECT);
    }

    /** Like {@link #save(Model, Path)}, saving NaN and infinite values if {@code nonFinite} allows them. */
    public static void save(Model model, Path file, NonFiniteValues nonFinite) throws IOException {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("format", "pt");
        metadata.put(MODEL_KEY, model.name());
        save(model.parameters(), file, metadata, nonFinite);
    }

    /** Loads every parameter tensor; the file must hold exactly the model's tensors. */
    public static void load(Parameters parameters, Path file) throws IOException {
        load(parameters, file, ExtraTensors.REJECT);
    }

    /**
     * Loads every parameter tensor. Each must be in the file with dtype F32 and the same shape;
     * tensors the model does not have are an error or skipped, as {@code extra} says.
     *
     * @throws WeightFileException if the file is missing, not safetensors, corrupt or truncated,
     *     or does not match the parameters; the parameters are then unchanged
     */
    public static void load(Parameters parameters, Path file, ExtraTensors extra) throws IOException {
        load(parameters, file, extra, NonFiniteValues.REJECT);
    }

    /**
     * Loads every parameter tensor, as {@link #load(Parameters, Path, ExtraTensors)}; NaN and
     * infinite values are an error (naming the tensor and the index) or loaded, as {@code nonFinite} says.
     */
    public static void load(Parameters parameters, Path file, ExtraTensors extra, NonFiniteValues nonFinite) throws IOException {
        try (SafeTensorsReader reader = SafeTensorsReader.open(file)) {
            reader.loadInto(parameters, extra, nonFinite);
        }
    }

    /** Loads a model's parameters; the file must hold exactly the model's tensors. */
    public static void load(Model model, Path file) throws IOException {
        load(model.parameters(), file, ExtraTensors.REJECT);
    }

    /** The header's {@code __metadata__}, empty if it has none; the whole header is checked. */
    public static Map<String, String> metadata(Path file) throws IOException {
        try (SafeTensorsReader reader = SafeTensorsReader.open(file)) {
            return reader.metadata();
        }
    }
}

package dev.kiln.runtime.io;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The JSON header of a safetensors file, checked against the spec
 * (https://github.com/huggingface/safetensors): every entry has a dtype, a shape of non-negative
 * integers and {@code data_offsets [begin, end)} relative to the data section; the byte ranges
 * tile the data section exactly, without gaps or overlaps; a range holds exactly its shape's
 * elements of its dtype; the optional {@code __metadata__} maps strings to strings.
 */
final class SafeTensorsHeader {
    /** The largest header accepted, as in the reference implementation. */
    static final long MAX_BYTES = 100_000_000;
    static final String METADATA = "__metadata__";

    private static final Map<String, Integer> DTYPE_BYTES = Map.ofEntries(Map.entry("BOOL", 1), Map.entry("U8", 1), Map.entry("I8", 1),
            Map.entry("F8_E5M2", 1), Map.entry("F8_E4M3", 1), Map.entry("I16", 2), Map.entry("U16", 2), Map.entry("F16", 2),
            Map.entry("BF16", 2), Map.entry("I32", 4), Map.entry("U32", 4), Map.entry("F32", 4), Map.entry("F64", 8),
            Map.entry("I64", 8), Map.entry("U64", 8));

    final Map<String, String> metadata;
    final Map<String, TensorEntry> tensors;

    private SafeTensorsHeader(Map<String, String> metadata, Map<String, TensorEntry> tensors) {
        this.metadata = metadata;
        this.tensors = tensors;
    }

    /**
     * Parses and checks a header.
     *
     * @param dataBytes the length of the data section: the file after the header
     */
    static SafeTensorsHeader parse(String file, String json, long dataBytes) throws WeightFileException {
        Object root;
        try {
            root = Json.parse(json);
        } catch (IllegalArgumentException e) {
            throw new WeightFileException(file, "the header is not valid JSON: " + e.getMessage()
                    + "; the file is corrupt or not safetensors: save it again", e);
        }
        if (!(root instanceof Map<?, ?> members)) {
            throw new WeightFileException(file, "the header is not a JSON object; the file is corrupt or not safetensors: save it again");
        }
        Map<String, String> metadata = Map.of();
        Map<String, TensorEntry> tensors = new LinkedHashMap<>();
        for (Map.Entry<?, ?> member : members.entrySet()) {
            String name = (String) member.getKey();
            if (name.equals(METADATA)) {
                metadata = metadata(file, member.getValue());
            } else {
                tensors.put(name, entry(file, name, member.getValue()));
            }
        }
        checkRanges(file, tensors.values(), dataBytes);
        return new SafeTensorsHeader(metadata, Collections.unmodifiableMap(tensors));
    }

    /**
     * The header of tensors laid out in this order: compact JSON, {@code __metadata__} first with
     * sorted keys, padded with spaces so the data starts at a multiple of 8 bytes.
     */
    static byte[] encode(List<TensorEntry> entries, Map<String, String> metadata) {
        StringBuilder json = new StringBuilder("{");
        if (!metadata.isEmpty()) {
            json.append(Json.quote(METADATA)).append(":{");
            String separator = "";
            for (Map.Entry<String, String> e : new TreeMap<>(metadata).entrySet()) {
                json.append(separator).append(Json.quote(e.getKey())).append(':').append(Json.quote(e.getValue()));
                separator = ",";
            }
            json.append('}');
        }
        for (TensorEntry e : entries) {
            json.append(json.length() > 1 ? "," : "").append(Json.quote(e.name())).append(":{\"dtype\":").append(Json.quote(e.dtype()))
                    .append(",\"shape\":[");
            for (int i = 0; i < e.shape().length; i++) {
                json.append(i > 0 ? "," : "").append(e.shape()[i]);
            }
            json.append("],\"data_offsets\":[").append(e.begin()).append(',').append(e.end()).append("]}");
        }
        json.append('}');
        byte[] text = json.toString().getBytes(StandardCharsets.UTF_8);
        byte[] padded = Arrays.copyOf(text, (text.length + 7) / 8 * 8);
        Arrays.fill(padded, text.length, padded.length, (byte) ' ');
        return padded;
    }

    private static Map<String, String> metadata(String file, Object value) throws WeightFileException {
        if (!(value instanceof Map<?, ?> map)) {
            throw new WeightFileException(file, "__metadata__ is not an object of strings; the file does not follow the safetensors spec");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getValue() instanceof String s)) {
                throw new WeightFileException(file, "__metadata__ entry " + Json.quote((String) e.getKey())
                        + " is not a string; the safetensors spec allows only string values there");
            }
            metadata.put((String) e.getKey(), s);
        }
        return Collections.unmodifiableMap(metadata);
    }

    private static TensorEntry entry(String file, String name, Object value) throws WeightFileException {
        if (!(value instanceof Map<?, ?> info)) {
            throw corrupt(file, "tensor '" + name + "' is described by " + kind(value) + ", not an object with dtype, shape and data_offsets");
        }
        if (!(info.get("dtype") instanceof String dtype)) {
            throw corrupt(file, "tensor '" + name + "' has " + (info.containsKey("dtype") ? "a dtype that is not a string" : "no dtype"));
        }
        long[] shape = integers(file, name, "shape", info.get("shape"));
        long[] offsets = integers(file, name, "data_offsets", info.get("data_offsets"));
        if (offsets.length != 2) {
            throw corrupt(file, "tensor '" + name + "' has " + offsets.length + " data_offsets, expected 2 ([begin, end))");
        }
        return new TensorEntry(name, dtype, shape, offsets[0], offsets[1]);
    }

    private static long[] integers(String file, String tensor, String key, Object value) throws WeightFileException {
        if (!(value instanceof List<?> list)) {
            throw corrupt(file, "tensor '" + tensor + "' has " + (value == null ? "no " + key : key + " " + kind(value))
                    + ", expected an array of integers");
        }
        long[] result = new long[list.size()];
        for (int i = 0; i < result.length; i++) {
            if (!(list.get(i) instanceof Long v) || v < 0) {
                throw corrupt(file, "tensor '" + tensor + "' has " + key + " " + list + "; expected non-negative integers");
            }
            result[i] = v;
        }
        return result;
    }

    private static String kind(Object value) {
        return switch (value) {
            case Map<?, ?> _ -> "an object";
            case List<?> _ -> "an array";
            case String _ -> "a string";
            case Long _ -> "a number";
            default -> String.valueOf(value);
        };
    }

    private static void checkRanges(String file, Iterable<TensorEntry> entries, long dataBytes) throws WeightFileException {
        List<TensorEntry> sorted = new ArrayList<>();
        for (TensorEntry e : entries) {
            if (e.end() < e.begin()) {
                throw corrupt(file, "tensor '" + e.name() + "' has data_offsets " + e.range() + " that end before they begin");
            }
            if (e.end() > dataBytes) {
                throw new WeightFileException(file, "tensor '" + e.name() + "' has data_offsets " + e.range() + " but the data section holds only "
                        + dataBytes + " bytes: the file is truncated (an interrupted copy or download?); copy or save it again");
            }
            Integer size = DTYPE_BYTES.get(e.dtype());
            if (size != null) {
                long expected = bytes(file, e, size);
                if (e.end() - e.begin() != expected) {
                    throw corrupt(file, "tensor '" + e.name() + "' has data_offsets " + e.range() + " spanning " + (e.end() - e.begin())
                            + " bytes but " + e.dtype() + " " + e.shapeText() + " needs " + expected);
                }
            }
            sorted.add(e);
        }
        sorted.sort(Comparator.comparingLong(TensorEntry::begin).thenComparingLong(TensorEntry::end));
        long next = 0;
        TensorEntry previous = null;
        for (TensorEntry e : sorted) {
            if (e.begin() < next) {
                throw new WeightFileException(file, "tensor '" + e.name() + "' at " + e.range() + " overlaps tensor '" + previous.name() + "' at "
                        + previous.range() + "; the file is corrupt or crafted: save it again with safetensors");
            }
            if (e.begin() > next) {
                throw new WeightFileException(file, "bytes [" + next + ", " + e.begin() + ") of the data section, before tensor '" + e.name()
                        + "', belong to no tensor; the spec forbids gaps, so the file is corrupt or crafted: save it again with safetensors");
            }
            next = e.end();
            previous = e;
        }
        if (next != dataBytes) {
            throw new WeightFileException(file, "the data section holds " + dataBytes + " bytes but the tensors cover only " + next
                    + "; the bytes after that belong to no tensor, so the file is corrupt or crafted: save it again with safetensors");
        }
    }

    private static WeightFileException corrupt(String file, String problem) {
        return new WeightFileException(file, problem + "; the file is corrupt: save it again from the original weights");
    }

    private static long bytes(String file, TensorEntry e, int size) throws WeightFileException {
        try {
            long n = size;
            for (long d : e.shape()) {
                n = Math.multiplyExact(n, d);
            }
            return n;
        } catch (ArithmeticException overflow) {
            throw corrupt(file, "tensor '" + e.name() + "' has shape " + e.shapeText() + " with more than 2^63 bytes");
        }
    }
}

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
    /** The most dimensions a tensor's shape may have. */
    static final int MAX_RANK = 64;

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
     * Parses and checks a header. The reader follows the header's schema (an object of tensor
     * entries and {@code __metadata__}), so nothing nests deeper than three levels, and it keeps
     * only the entries: a shape of more than {@value #MAX_RANK} dimensions is refused as it is read.
     *
     * @param dataBytes the length of the data section: the file after the header
     */
    static SafeTensorsHeader parse(String file, CharSequence json, long dataBytes) throws WeightFileException {
        Map<String, String> metadata = Map.of();
        Map<String, TensorEntry> tensors = new LinkedHashMap<>();
        Json reader = new Json(json);
        long[] scratch = new long[MAX_RANK];
        try {
            if (reader.peek() != '{') {
                throw new WeightFileException(file, "the header is not a JSON object; the file is corrupt or not safetensors: save it again");
            }
            reader.beginObject();
            boolean seenMetadata = false;
            while (reader.hasNext('}')) {
                int nameAt = reader.position();
                String name = reader.nextName();
                if (name.equals(METADATA) ? seenMetadata : tensors.containsKey(name)) {
                    throw reader.errorAt(nameAt, "duplicate member name " + Json.quote(name));
                }
                if (name.equals(METADATA)) {
                    seenMetadata = true;
                    metadata = metadata(file, reader);
                } else {
                    tensors.put(name, entry(file, name, reader, scratch));
                }
            }
            reader.end();
        } catch (IllegalArgumentException e) {
            throw new WeightFileException(file, "the header is not valid JSON: " + e.getMessage()
                    + "; the file is corrupt or not safetensors: save it again", e);
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

    private static Map<String, String> metadata(String file, Json reader) throws WeightFileException {
        if (reader.peek() != '{') {
            throw new WeightFileException(file, "__metadata__ is not an object of strings; the file does not follow the safetensors spec");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        reader.beginObject();
        while (reader.hasNext('}')) {
            int keyAt = reader.position();
            String key = reader.nextName();
            if (reader.peek() != '"') {
                throw new WeightFileException(file, "__metadata__ entry " + Json.quote(key)
                        + " is not a string; the safetensors spec allows only string values there");
            }
            if (metadata.put(key, reader.nextString()) != null) {
                throw reader.errorAt(keyAt, "duplicate member name " + Json.quote(key));
            }
        }
        return Collections.unmodifiableMap(metadata);
    }

    /** One tensor's {@code {"dtype": ..., "shape": [...], "data_offsets": [begin, end]}}, in any order. */
    private static TensorEntry entry(String file, String name, Json reader, long[] scratch) throws WeightFileException {
        if (reader.peek() != '{') {
            throw corrupt(file, "tensor '" + name + "' is described by " + reader.describeNext() + ", not an object with dtype, shape and data_offsets");
        }
        String dtype = null;
        long[] shape = null;
        long[] offsets = null;
        reader.beginObject();
        while (reader.hasNext('}')) {
            int keyAt = reader.position();
            boolean repeated;
            String key;
            if (reader.nextNameIs("dtype")) {
                key = "dtype";
                if (reader.peek() != '"') {
                    throw corrupt(file, "tensor '" + name + "' has a dtype that is not a string");
                }
                repeated = dtype != null;
                dtype = dtype(reader);
            } else if (reader.nextNameIs("shape")) {
                key = "shape";
                repeated = shape != null;
                shape = integers(file, name, "shape", reader, scratch, MAX_RANK);
            } else if (reader.nextNameIs("data_offsets")) {
                key = "data_offsets";
                repeated = offsets != null;
                offsets = integers(file, name, "data_offsets", reader, scratch, 2);
            } else {
                throw corrupt(file, "tensor '" + name + "' has the member " + Json.quote(reader.nextName())
                        + "; a safetensors entry holds only dtype, shape and data_offsets");
            }
            if (repeated) {
                throw reader.errorAt(keyAt, "duplicate member name " + Json.quote(key));
            }
        }
        if (dtype == null) {
            throw corrupt(file, "tensor '" + name + "' has no dtype");
        }
        if (shape == null || offsets == null) {
            throw corrupt(file, "tensor '" + name + "' has no " + (shape == null ? "shape" : "data_offsets") + ", expected an array of integers");
        }
        if (offsets.length != 2) {
            throw corrupt(file, "tensor '" + name + "' has " + offsets.length + " data_offsets, expected 2 ([begin, end))");
        }
        return new TensorEntry(name, dtype, shape, offsets[0], offsets[1]);
    }

    /** A dtype of the spec as the constant of {@link #DTYPE_BYTES}, read without allocating; any other as read. */
    private static String dtype(Json reader) {
        for (String known : DTYPE_BYTES.keySet()) {
            if (reader.nextStringIs(known)) {
                return known;
            }
        }
        return reader.nextString();
    }

    /**
     * An array of non-negative integers, read through {@code scratch}; more than {@code limit} of
     * them is refused as soon as the next one is read, so a crafted array costs no memory.
     */
    private static long[] integers(String file, String tensor, String key, Json reader, long[] scratch, int limit) throws WeightFileException {
        if (reader.peek() != '[') {
            throw corrupt(file, "tensor '" + tensor + "' has " + key + " " + reader.describeNext() + ", expected an array of integers");
        }
        int count = 0;
        reader.beginArray();
        while (reader.hasNext(']')) {
            if (reader.peek() != '0') {
                throw corrupt(file, "tensor '" + tensor + "' has " + key + " holding " + reader.describeNext() + "; expected non-negative integers");
            }
            long value = reader.nextLong();
            if (count == limit) {
                throw key.equals("shape")
                        ? corrupt(file, "tensor '" + tensor + "' has a shape of more than " + limit + " dimensions, more than any tensor Kiln reads")
                        : corrupt(file, "tensor '" + tensor + "' has more than 2 data_offsets, expected 2 ([begin, end))");
            }
            scratch[count++] = value;
        }
        long[] result = Arrays.copyOf(scratch, count);
        for (long v : result) {
            if (v < 0) {
                throw corrupt(file, "tensor '" + tensor + "' has " + key + " " + Arrays.toString(result) + "; expected non-negative integers");
            }
        }
        return result;
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

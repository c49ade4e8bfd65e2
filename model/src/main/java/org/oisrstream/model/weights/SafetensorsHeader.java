package org.oisrstream.model.weights;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The JSON header of a safetensors file, parsed and validated strictly: every tensor has a known dtype, a shape
 * whose byte size matches its data offsets, and the tensors tile the data section exactly (from 0, contiguous,
 * no overlap, no trailing bytes).
 */
record SafetensorsHeader(Map<String, String> metadata, List<Entry> entries) {

    /** Limit from the reference implementation; a larger header is a corrupt length field, not a real header. */
    static final long MAX_HEADER_BYTES = 100_000_000L;
    static final String METADATA_KEY = "__metadata__";

    /** Safetensors dtype names this reader recognises but cannot represent as a {@link DType}. */
    private static final Set<String> UNSUPPORTED_DTYPES =
            Set.of("BOOL", "I8", "I16", "U16", "U32", "U64", "F8_E4M3", "F8_E5M2", "F8_E8M0", "F4", "F6_E2M3",
                    "F6_E3M2", "C64");
    private static final Set<String> ENTRY_FIELDS = Set.of("dtype", "shape", "data_offsets");

    static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    record Entry(String name, DType dtype, long[] shape, long begin, long end) {
        long byteLength() {
            return end - begin;
        }
    }

    SafetensorsHeader {
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        entries = List.copyOf(entries);
    }

    /**
     * Parses {@code json} for a data section of {@code dataLength} bytes.
     *
     * @throws IllegalArgumentException with a one-line description of the first problem found
     */
    static SafetensorsHeader parse(byte[] json, long dataLength) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("header is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new IllegalArgumentException("header is not valid JSON: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("header is not a JSON object");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        List<Entry> entries = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (field.getKey().equals(METADATA_KEY)) {
                metadata.putAll(parseMetadata(field.getValue()));
            } else {
                entries.add(parseEntry(field.getKey(), field.getValue()));
            }
        }
        checkTiling(entries, dataLength);
        return new SafetensorsHeader(metadata, entries);
    }

    private static Map<String, String> parseMetadata(JsonNode node) {
        if (!node.isObject()) {
            throw new IllegalArgumentException("__metadata__ is not a JSON object");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (!field.getValue().isTextual()) {
                throw new IllegalArgumentException("__metadata__ value for '" + field.getKey() + "' is not a string");
            }
            metadata.put(field.getKey(), field.getValue().textValue());
        }
        return metadata;
    }

    private static Entry parseEntry(String name, JsonNode node) {
        if (!node.isObject()) {
            throw new IllegalArgumentException("tensor '" + name + "': entry is not a JSON object");
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!ENTRY_FIELDS.contains(field)) {
                throw new IllegalArgumentException("tensor '" + name + "': unknown field '" + field + "'");
            }
        }
        JsonNode dtypeNode = node.get("dtype");
        if (dtypeNode == null || !dtypeNode.isTextual()) {
            throw new IllegalArgumentException("tensor '" + name + "': missing or non-string dtype");
        }
        String dtypeName = dtypeNode.textValue();
        if (UNSUPPORTED_DTYPES.contains(dtypeName)) {
            throw new IllegalArgumentException("tensor '" + name + "': dtype " + dtypeName
                    + " is not supported (supported: F32, F16, BF16, F64, I64, I32, U8)");
        }
        DType dtype;
        try {
            dtype = DType.valueOf(dtypeName);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("tensor '" + name + "': unknown dtype '" + dtypeName + "'");
        }
        long[] shape = longArray(name, "shape", node.get("shape"), -1);
        long[] offsets = longArray(name, "data_offsets", node.get("data_offsets"), 2);
        long begin = offsets[0];
        long end = offsets[1];
        if (end < begin) {
            throw new IllegalArgumentException("tensor '" + name + "': data_offsets [" + begin + ", " + end
                    + "] end before begin");
        }
        long expectedBytes;
        try {
            expectedBytes = Math.multiplyExact(HostTensor.numel(shape), dtype.bytes());
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("tensor '" + name + "': shape " + Arrays.toString(shape)
                    + " is too large");
        }
        if (end - begin != expectedBytes) {
            throw new IllegalArgumentException("tensor '" + name + "': shape " + Arrays.toString(shape) + " of "
                    + dtypeName + " needs " + expectedBytes + " bytes but data_offsets [" + begin + ", " + end
                    + "] span " + (end - begin));
        }
        return new Entry(name, dtype, shape, begin, end);
    }

    private static long[] longArray(String tensor, String field, JsonNode node, int requiredLength) {
        if (node == null || !node.isArray()) {
            throw new IllegalArgumentException("tensor '" + tensor + "': missing or non-array " + field);
        }
        ArrayNode array = (ArrayNode) node;
        if (requiredLength >= 0 && array.size() != requiredLength) {
            throw new IllegalArgumentException("tensor '" + tensor + "': " + field + " must have " + requiredLength
                    + " numbers, has " + array.size());
        }
        long[] values = new long[array.size()];
        for (int i = 0; i < values.length; i++) {
            JsonNode v = array.get(i);
            if (!v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < 0) {
                throw new IllegalArgumentException("tensor '" + tensor + "': " + field + " holds " + v
                        + ", not a non-negative integer");
            }
            values[i] = v.longValue();
        }
        return values;
    }

    private static void checkTiling(List<Entry> entries, long dataLength) {
        List<Entry> byOffset = new ArrayList<>(entries);
        byOffset.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long position = 0;
        for (Entry e : byOffset) {
            if (e.begin() != position) {
                throw new IllegalArgumentException("tensor '" + e.name() + "': data_offsets [" + e.begin() + ", "
                        + e.end() + "] " + (e.begin() < position ? "overlap the previous tensor" : "leave a gap")
                        + " (expected to start at " + position + ")");
            }
            position = e.end();
        }
        if (position != dataLength) {
            throw new IllegalArgumentException(position > dataLength
                    ? "truncated: tensors need " + position + " data bytes but the file has " + dataLength
                    : "tensors cover " + position + " data bytes but the file has " + dataLength
                            + " (trailing bytes)");
        }
    }

    /** The header as JSON bytes, padded with spaces so the data section starts 8-byte aligned. */
    byte[] toJson() {
        ObjectNode root = JSON.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode meta = root.putObject(METADATA_KEY);
            metadata.forEach(meta::put);
        }
        for (Entry e : entries) {
            ObjectNode node = root.putObject(e.name());
            node.put("dtype", e.dtype().name());
            ArrayNode shape = node.putArray("shape");
            for (long d : e.shape()) {
                shape.add(d);
            }
            node.putArray("data_offsets").add(e.begin()).add(e.end());
        }
        byte[] json;
        try {
            json = JSON.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise safetensors header", e);
        }
        int padded = (json.length + 8 + 7) / 8 * 8 - 8;
        byte[] out = Arrays.copyOf(json, padded);
        Arrays.fill(out, json.length, padded, (byte) ' ');
        return out;
    }
}

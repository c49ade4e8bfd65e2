package org.oisrstream.model.weights;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What a PyTorch checkpoint unpickled to, plus its storages' bytes (little-endian). Finds the state dict in it:
 * the object itself, or a wrapper entry ({@code state_dict}, {@code model_state_dict}, {@code model},
 * {@code params}, ... whichever holds tensors), strips a {@code module.} / {@code model.} prefix shared by all keys
 * (DataParallel, wrappers), skips non-tensor entries and copies each tensor out of its storage.
 */
record CheckpointContent(WeightsFormat format, Object root, Map<String, ByteBuffer> storageBytes) {

    /** Wrapper keys in order of preference when several entries hold dicts of tensors. */
    static final List<String> WRAPPER_KEYS =
            List.of("state_dict", "model_state_dict", "model", "params", "params_ema", "net", "network", "generator");
    static final List<String> KEY_PREFIXES = List.of("module.", "model.");

    /**
     * The state dict with tensors in their stored dtype, except F64 which becomes F32. Metadata records
     * {@code source_format} and, when applied, {@code source_wrapper_key}, {@code source_key_prefix} and
     * {@code source_skipped_entries}.
     *
     * @throws IllegalArgumentException when no dict of tensors can be found (one-line message)
     */
    StateDict toStateDict() {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("source_format", format.label());
        Map<?, ?> dict = locate(metadata);
        Map<String, PickledTensor> tensors = new LinkedHashMap<>();
        List<String> skipped = new ArrayList<>();
        for (Map.Entry<?, ?> e : dict.entrySet()) {
            if (!(e.getKey() instanceof String key)) {
                throw new IllegalArgumentException("state dict has a non-string key " + e.getKey());
            }
            if (e.getValue() instanceof PickledTensor t) {
                tensors.put(key, t);
            } else {
                skipped.add(key);
            }
        }
        if (!skipped.isEmpty()) {
            metadata.put("source_skipped_entries", String.join(",", skipped));
        }
        String prefix = sharedPrefix(tensors.keySet());
        if (!prefix.isEmpty()) {
            metadata.put("source_key_prefix", prefix);
        }
        Map<String, HostTensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, PickledTensor> e : tensors.entrySet()) {
            PickledTensor t = e.getValue();
            ByteBuffer bytes = storageBytes.get(t.storage().key());
            HostTensor host = t.gather(bytes);
            out.put(e.getKey().substring(prefix.length()), host.dtype() == DType.F64 ? host.to(DType.F32) : host);
        }
        return new StateDict(out, metadata);
    }

    private Map<?, ?> locate(Map<String, String> metadata) {
        if (root instanceof PickledTensor) {
            throw new IllegalArgumentException("checkpoint holds a single tensor, not a state dict");
        }
        if (!(root instanceof Map<?, ?> top)) {
            throw new IllegalArgumentException("checkpoint holds a " + describe(root) + ", not a dict of tensors");
        }
        if (countTensors(top) > 0) {
            return top;
        }
        List<Object> candidates = new ArrayList<>();
        for (Map.Entry<?, ?> e : top.entrySet()) {
            if (e.getValue() instanceof Map<?, ?> inner && countTensors(inner) > 0) {
                candidates.add(e.getKey());
            }
        }
        Object chosen = null;
        for (String key : WRAPPER_KEYS) {
            if (candidates.contains(key)) {
                chosen = key;
                break;
            }
        }
        if (chosen == null && candidates.size() == 1) {
            chosen = candidates.get(0);
        }
        if (chosen == null) {
            String keys = top.keySet().stream().limit(10).map(String::valueOf).collect(Collectors.joining(", "));
            throw new IllegalArgumentException(candidates.isEmpty()
                    ? "checkpoint holds no tensors (top-level keys: " + keys + ")"
                    : "checkpoint holds several dicts of tensors " + candidates + " and none is named "
                            + String.join("/", WRAPPER_KEYS));
        }
        metadata.put("source_wrapper_key", String.valueOf(chosen));
        return (Map<?, ?>) top.get(chosen);
    }

    private static long countTensors(Map<?, ?> map) {
        return map.values().stream().filter(v -> v instanceof PickledTensor).count();
    }

    /** The concatenation of module./model. prefixes that every key starts with ("" if none). */
    static String sharedPrefix(Collection<String> keys) {
        StringBuilder prefix = new StringBuilder();
        boolean stripped = true;
        while (stripped && !keys.isEmpty()) {
            stripped = false;
            for (String p : KEY_PREFIXES) {
                String candidate = prefix + p;
                if (keys.stream().allMatch(k -> k.startsWith(candidate) && k.length() > candidate.length())) {
                    prefix.append(p);
                    stripped = true;
                    break;
                }
            }
        }
        return prefix.toString();
    }

    static String describe(Object value) {
        if (value instanceof List<?>) {
            return "list";
        }
        if (value instanceof Object[]) {
            return "tuple";
        }
        return TorchPickleGlobals.describe(value);
    }

    /** The storage bytes in little-endian order (swapping elements of big-endian checkpoints). */
    static ByteBuffer littleEndian(ByteBuffer bytes, ByteOrder order, PickledStorage storage) {
        if (order == ByteOrder.LITTLE_ENDIAN || storage.type().dtype().bytes() == 1) {
            return bytes;
        }
        int size = storage.type().dtype().bytes();
        byte[] swapped = new byte[bytes.remaining()];
        ByteBuffer src = bytes.duplicate();
        for (int i = 0; i < swapped.length; i += size) {
            for (int j = 0; j < size; j++) {
                swapped[i + j] = src.get(src.position() + i + size - 1 - j);
            }
        }
        return ByteBuffer.wrap(swapped);
    }
}

package org.oisrstream.model.weights;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Named tensors in file order, keyed like the official OISR state dicts ({@code head.0.weight},
 * {@code body.3.conv2.weight}, ...), plus free-form string metadata (variant, scale, training info).
 */
public record StateDict(Map<String, HostTensor> tensors, Map<String, String> metadata) {

    public StateDict {
        tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }

    public StateDict(Map<String, HostTensor> tensors) {
        this(tensors, Map.of());
    }

    /** Total number of elements over all tensors. */
    public long parameterCount() {
        long n = 0;
        for (HostTensor t : tensors.values()) {
            n = Math.addExact(n, t.numel());
        }
        return n;
    }

    /** Tensor name to shape, in file order. */
    public Map<String, long[]> shapes() {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        tensors.forEach((name, t) -> shapes.put(name, t.shape()));
        return shapes;
    }

    /**
     * The same tensors without the {@code module.} prefix PyTorch's DataParallel puts on every key; unchanged
     * unless every key has it.
     */
    public StateDict withoutDataParallelPrefix() {
        String prefix = "module.";
        if (tensors.isEmpty() || !tensors.keySet().stream().allMatch(k -> k.startsWith(prefix))) {
            return this;
        }
        Map<String, HostTensor> out = new LinkedHashMap<>();
        tensors.forEach((k, v) -> out.put(k.substring(prefix.length()), v));
        return new StateDict(out, metadata);
    }

    public StateDict withMetadata(Map<String, String> extra) {
        Map<String, String> merged = new LinkedHashMap<>(metadata);
        merged.putAll(extra);
        return new StateDict(tensors, merged);
    }
}

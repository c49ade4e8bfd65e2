package org.oisrstream.model.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StateDictTest {

    private static HostTensor scalar(float v) {
        return HostTensor.ofFloats(new long[] {1}, new float[] {v});
    }

    @Test
    void theDataParallelPrefixGoesWhenEveryKeyHasIt() {
        Map<String, HostTensor> wrapped = new LinkedHashMap<>();
        wrapped.put("module.head.0.weight", scalar(1));
        wrapped.put("module.tail.1.bias", scalar(2));
        StateDict stripped = new StateDict(wrapped, Map.of("variant", "lf-s")).withoutDataParallelPrefix();
        assertEquals(List.of("head.0.weight", "tail.1.bias"), List.copyOf(stripped.tensors().keySet()));
        assertEquals(2f, stripped.tensors().get("tail.1.bias").toFloats()[0]);
        assertEquals(Map.of("variant", "lf-s"), stripped.metadata());
    }

    @Test
    void keysAreLeftAloneUnlessAllArePrefixed() {
        Map<String, HostTensor> mixed = new LinkedHashMap<>();
        mixed.put("module.head.0.weight", scalar(1));
        mixed.put("tail.1.bias", scalar(2));
        StateDict dict = new StateDict(mixed);
        assertSame(dict, dict.withoutDataParallelPrefix());
        StateDict empty = new StateDict(Map.of());
        assertSame(empty, empty.withoutDataParallelPrefix());
    }
}

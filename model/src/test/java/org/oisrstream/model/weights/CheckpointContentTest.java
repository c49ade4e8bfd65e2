package org.oisrstream.model.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Locating the state dict inside what a checkpoint unpickled to. */
class CheckpointContentTest {

    private static final PickledStorage STORAGE = new PickledStorage("0", TorchStorageType.FLOAT, 4);
    private static final Map<String, ByteBuffer> BYTES = Map.of("0",
            ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putFloat(1).putFloat(2).putFloat(3).putFloat(4)
                    .flip());

    private static PickledTensor tensor(long offset, long... size) {
        long[] stride = new long[size.length];
        long s = 1;
        for (int i = size.length - 1; i >= 0; i--) {
            stride[i] = s;
            s *= size[i];
        }
        return new PickledTensor(STORAGE, 0, 4, offset, size, stride);
    }

    private static StateDict load(Object root) {
        return new CheckpointContent(WeightsFormat.PYTORCH_ZIP, root, BYTES).toStateDict();
    }

    @Test
    void nonTensorEntriesAreSkippedAndListed() {
        Map<Object, Object> root = new LinkedHashMap<>();
        root.put("model.a", tensor(0, 2, 2));
        root.put("model.b", tensor(3, 1));
        root.put("model.version", 3);
        root.put("model.notes", "text");
        StateDict sd = load(root);
        assertEquals(List.of("a", "b"), List.copyOf(sd.tensors().keySet()));
        assertEquals("model.version,model.notes", sd.metadata().get("source_skipped_entries"));
        assertEquals("model.", sd.metadata().get("source_key_prefix"));
        assertArrayEquals(new float[] {4}, sd.tensors().get("b").toFloats());
    }

    @Test
    void prefixIsOnlyStrippedWhenEveryKeyHasIt() {
        Map<Object, Object> root = new LinkedHashMap<>();
        root.put("module.model.a", tensor(0, 1));
        root.put("module.model.b", tensor(1, 1));
        assertEquals(List.of("a", "b"), List.copyOf(load(root).tensors().keySet()));
        root.put("head.0.bias", tensor(2, 1));
        assertEquals(List.of("module.model.a", "module.model.b", "head.0.bias"),
                List.copyOf(load(root).tensors().keySet()));
    }

    @Test
    void wrapperKeysArePreferredInOrderAndAmbiguityIsRefused() {
        Map<Object, Object> root = new LinkedHashMap<>();
        root.put("optimizer", Map.of("state", Map.of(0, Map.of("exp_avg", tensor(0, 1)))));
        root.put("ema", Map.of("x", tensor(0, 1)));
        root.put("params", Map.of("y", tensor(1, 1)));
        assertEquals(List.of("y"), List.copyOf(load(root).tensors().keySet()));
        assertEquals("params", load(root).metadata().get("source_wrapper_key"));

        root.remove("params");
        assertEquals("ema", load(root).metadata().get("source_wrapper_key"), "a single dict of tensors is used");

        root.put("student", Map.of("z", tensor(2, 1)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> load(root));
        assertTrue(e.getMessage().contains("several dicts of tensors [ema, student]"), e.getMessage());
    }

    @Test
    void checkpointsWithoutTensorsAreRefused() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> load(Map.of("epoch", 3))).getMessage()
                .contains("holds no tensors (top-level keys: epoch)"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> load(List.of(1))).getMessage()
                .contains("holds a list, not a dict of tensors"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> load(tensor(0, 4))).getMessage()
                .contains("single tensor"));
    }

    @Test
    void tensorsReachingPastTheirStorageAreRefused() {
        UnpicklingRefusedException e = assertThrows(UnpicklingRefusedException.class,
                () -> new PickledTensor(STORAGE, 0, 4, 2, new long[] {2, 2}, new long[] {2, 1}));
        assertTrue(e.getMessage().contains("reaches element 5 of a storage of 4 elements"), e.getMessage());
        assertThrows(UnpicklingRefusedException.class,
                () -> new PickledTensor(STORAGE, 0, 4, 0, new long[] {2}, new long[] {-1}));
        assertThrows(UnpicklingRefusedException.class,
                () -> new PickledTensor(STORAGE, 0, 4, -1, new long[] {1}, new long[] {1}));
    }
}

package org.oisrstream.model.net;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.InferenceMode;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.oisrstream.model.weights.HostTensor;
import org.oisrstream.model.weights.StateDict;

/** The Java networks against an independent PyTorch reference (src/test/python/make_golden.py). */
class GoldenOutputTest {

    private static final double TOLERANCE = 1e-5;

    @ParameterizedTest(name = "{0} block")
    @CsvSource({"lf, LF", "rk2, RK2", "rk3, RK3"})
    void blockMatchesReference(String prefix, BlockType type) {
        StateDict golden = Golden.read("blocks.safetensors");
        Map<String, HostTensor> tensors = Golden.withPrefix(golden, prefix);
        OisrBlock block = type.create(4);
        Golden.copyInto(block, tensors);
        try (PointerScope scope = new PointerScope(); InferenceMode mode = new InferenceMode()) {
            Tensor out = block.forward(HostTensors.toTorch(tensors.get("input")));
            Golden.assertClose(tensors.get("output"), out, TOLERANCE);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"net-lf-b2f8x2, LF, 2, 8, 2", "net-rk2-b2f6x4, RK2, 2, 6, 4", "net-rk3-b2f8x3, RK3, 2, 8, 3"})
    void smallNetworkMatchesReference(String fixture, BlockType type, int blocks, int features, int scale) {
        StateDict golden = Golden.read(fixture + ".safetensors");
        Map<String, HostTensor> weights = new LinkedHashMap<>(golden.tensors());
        HostTensor input = weights.remove("golden.input");
        HostTensor output = weights.remove("golden.output");
        OisrNet net = new OisrNet(new Architecture(type, blocks, features, scale));
        net.load(new StateDict(weights));
        assertEquals(new ArrayList<>(weights.keySet()), new ArrayList<>(net.namedParameters().keySet()),
                "same keys in the same order as the PyTorch state dict");
        try (PointerScope scope = new PointerScope(); InferenceMode mode = new InferenceMode()) {
            Golden.assertClose(output, net.forward(HostTensors.toTorch(input)), TOLERANCE);
        }
    }

    @Test
    void fullSizeLfsX2WithFormulaWeightsMatchesReference() {
        StateDict golden = Golden.read("net-lf-s-x2-formula.safetensors");
        OisrNet net = new OisrNet(ModelSpec.of("lf-s", 2));
        List<String> pythonKeys = Arrays.asList(golden.metadata().get("keys").split(","));
        assertEquals(pythonKeys, new ArrayList<>(net.namedParameters().keySet()), "official keys and order");

        Map<String, HostTensor> weights = new LinkedHashMap<>();
        net.namedParameters().forEach((key, t) -> weights.put(key,
                key.startsWith("sub_mean") || key.startsWith("add_mean") ? HostTensors.toHost(t)
                        : formulaValue(key, t.shape())));
        net.load(new StateDict(weights));
        try (PointerScope scope = new PointerScope(); InferenceMode mode = new InferenceMode()) {
            Tensor out = net.forward(HostTensors.toTorch(golden.tensors().get("golden.input")));
            Golden.assertClose(golden.tensors().get("golden.output"), out, TOLERANCE);
        }
    }

    /** Same formula as make_golden.py's formula_value: exact integer arithmetic, then doubles, then float. */
    static HostTensor formulaValue(String key, long[] shape) {
        long k = key.chars().sum() + 31L * key.length();
        int n = Math.toIntExact(HostTensor.numel(shape));
        double amp;
        double base;
        if (key.endsWith("weight") && shape.length == 4) {
            amp = 1.0 / Math.sqrt(shape[1] * shape[2] * shape[3]);
            base = 0;
        } else if (key.contains(".relu")) {
            amp = 0.1;
            base = 0.25;
        } else if (key.contains(".scale")) {
            amp = 0.1;
            base = 1.0;
        } else {
            amp = 0.05;
            base = 0;
        }
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            double q = (double) ((i * 7919L + k * 104729L) % 2001 - 1000) / 1000.0;
            values[i] = (float) (base + amp * q);
        }
        return HostTensor.ofFloats(shape, values);
    }
}

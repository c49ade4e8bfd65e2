package org.oisrstream.model.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.oisrstream.model.weights.DType;
import org.oisrstream.model.weights.HostTensor;
import org.oisrstream.model.weights.StateDict;

class StrictLoadingTest {

    private static final Architecture SMALL = new Architecture(BlockType.LF, 2, 8, 2);
    private static OisrNet source;

    @BeforeAll
    static void exportRandomNetwork() {
        source = new OisrNet(SMALL);
    }

    @AfterAll
    static void close() {
        source.close();
    }

    private static Map<String, HostTensor> weights() {
        return new LinkedHashMap<>(source.stateDict().tensors());
    }

    private static float first(OisrNet net, String key) {
        return HostTensors.toHost(net.namedParameters().get(key)).toFloats()[0];
    }

    @Test
    void exportedWeightsRoundTrip() {
        OisrNet target = new OisrNet(SMALL);
        target.load(source.stateDict());
        for (String key : source.namedParameters().keySet()) {
            assertEquals(source.stateDict().tensors().get(key).data(), target.stateDict().tensors().get(key).data(), key);
        }
        assertEquals(SMALL.describe(), source.stateDict().metadata().get("architecture"));
    }

    @Test
    void halfPrecisionWeightsAreConverted() {
        Map<String, HostTensor> w = weights();
        w.replaceAll((k, v) -> v.to(DType.BF16));
        OisrNet target = new OisrNet(SMALL);
        target.load(new StateDict(w));
        assertEquals(w.get("head.0.bias").toFloats()[0], first(target, "head.0.bias"));
    }

    @Test
    void missingKeyIsNamedWithItsShape() {
        Map<String, HostTensor> w = weights();
        w.remove("body.1.relu3.weight");
        var e = assertThrows(WeightsMismatchException.class, () -> new OisrNet(SMALL).load(new StateDict(w)));
        assertTrue(e.getMessage().contains("missing key body.1.relu3.weight (expected shape [8])"), e.getMessage());
    }

    @Test
    void unexpectedKeyIsNamed() {
        Map<String, HostTensor> w = weights();
        w.put("body.1.scale9", HostTensor.ofFloats(new long[] {1}, new float[] {1}));
        var e = assertThrows(WeightsMismatchException.class, () -> new OisrNet(SMALL).load(new StateDict(w)));
        assertTrue(e.getMessage().contains("unexpected key body.1.scale9 (shape [1])"), e.getMessage());
    }

    @Test
    void wrongShapeNamesKeyAndBothShapesAndNothingIsLoaded() {
        Map<String, HostTensor> w = weights();
        w.put("body.0.conv2.bias", HostTensor.ofFloats(new long[] {7}, new float[7]));
        OisrNet target = new OisrNet(SMALL);
        float before = first(target, "head.0.bias");
        var e = assertThrows(WeightsMismatchException.class, () -> target.load(new StateDict(w)));
        assertTrue(e.getMessage().contains("wrong shape for body.0.conv2.bias: weights have [7], model expects [8]"),
                e.getMessage());
        assertEquals(before, first(target, "head.0.bias"), "nothing loaded after a failed check");
    }

    @Test
    void wrongScaleIsDetected() {
        var e = assertThrows(WeightsMismatchException.class,
                () -> new OisrNet(new Architecture(BlockType.LF, 2, 8, 4)).load(source.stateDict()));
        assertEquals("weights are for LF B=2 F=8 x2, model is LF B=2 F=8 x4", e.getMessage());
    }

    @Test
    void wrongVariantOfThePaperIsNamed() {
        Map<String, HostTensor> w = new LinkedHashMap<>();
        // Just the shapes that identify the network: the check runs before anything is read.
        OisrNet lfsX2 = new OisrNet(ModelSpec.of("lf-s", 2));
        lfsX2.namedParameters().forEach((k, t) -> w.put(k, HostTensor.ofFloats(t.shape(), new float[(int) t.numel()])));
        lfsX2.close();
        OisrNet rk2sX2 = new OisrNet(ModelSpec.of("rk2-s", 2));
        var e = assertThrows(WeightsMismatchException.class, () -> rk2sX2.load(new StateDict(w)));
        assertEquals("weights are for lf-s x2, model is rk2-s x2", e.getMessage());
        OisrNet lfsX4 = new OisrNet(ModelSpec.of("lf-s", 4));
        e = assertThrows(WeightsMismatchException.class, () -> lfsX4.load(new StateDict(w)));
        assertEquals("weights are for lf-s x2, model is lf-s x4", e.getMessage());
    }

    @Test
    void dataParallelPrefixIsAccepted() {
        Map<String, HostTensor> w = new LinkedHashMap<>();
        weights().forEach((k, v) -> w.put("module." + k, v));
        OisrNet target = new OisrNet(SMALL);
        target.load(new StateDict(w));
        assertEquals(w.get("module.tail.1.bias").toFloats()[0], first(target, "tail.1.bias"));
    }

    @Test
    void meanShiftsAreFixedAndEverythingElseTrains() {
        Map<String, org.bytedeco.pytorch.Tensor> params = source.namedParameters();
        params.forEach((k, t) -> assertEquals(!k.contains("_mean."), t.requires_grad(), k));
        assertEquals(params.size() - 4, source.trainableParameters().size());
        float[] bias = HostTensors.toHost(params.get("sub_mean.bias")).toFloats();
        assertEquals(-255 * 0.4488f, bias[0], 1e-4);
        assertEquals(0.25f, HostTensors.toHost(new OisrNet(SMALL).namedParameters().get("body.0.relu1.weight")).toFloats()[5]);
    }
}

package org.oisrstream.model.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.oisrstream.model.weights.HostTensor;
import org.oisrstream.model.weights.StateDict;
import org.oisrstream.model.weights.WeightsFiles;

/** PyTorch checkpoints read by the weights package (fixtures of make_checkpoints.py) load into the networks. */
class CheckpointLoadingTest {

    private static StateDict read(String name) throws Exception {
        return WeightsFiles.read(Path.of(CheckpointLoadingTest.class.getResource("/weights/" + name).toURI()));
    }

    @Test
    void fullLfsX4LegacyCheckpointLoadsIntoLfsX4() throws Exception {
        StateDict weights = read("lf_s_x4_expanded_legacy.pt");
        OisrNet net = new OisrNet(ModelSpec.of("lf-s", 4));
        net.load(weights);
        HostTensor given = weights.tensors().get("body.7.conv4.weight");
        assertEquals(given.toFloats()[100], HostTensors.toHost(net.namedParameters().get("body.7.conv4.weight")).toFloats()[100]);
        net.close();
    }

    @Test
    void fullLfsX4CheckpointIsRecognisedByOtherNetworks() throws Exception {
        StateDict weights = read("lf_s_x4_expanded_legacy.pt");
        var e = assertThrows(WeightsMismatchException.class, () -> new OisrNet(ModelSpec.of("lf-s", 2)).load(weights));
        assertEquals("weights are for lf-s x4, model is lf-s x2", e.getMessage());
        e = assertThrows(WeightsMismatchException.class, () -> new OisrNet(ModelSpec.of("rk2-s", 4)).load(weights));
        assertEquals("weights are for lf-s x4, model is rk2-s x4", e.getMessage());
    }

    @Test
    void wrappedDataParallelCheckpointLoads() throws Exception {
        for (String name : new String[] {"tiny_lf_x2_wrapped.pt", "tiny_lf_x2_zip.pt", "tiny_lf_x2_fp16_legacy.pt"}) {
            StateDict weights = read(name);
            OisrNet net = new OisrNet(new Architecture(BlockType.LF, 2, 8, 2));
            net.load(weights);
            net.close();
        }
    }

    @Test
    void legacyAndZipCheckpointsGiveTheSameOutput() throws Exception {
        HostTensor input = HostTensor.ofFloats(new long[] {1, 3, 10, 13}, rampImage(3 * 10 * 13));
        float[] legacy = outputOf(read("tiny_lf_x2_legacy.pt"), input);
        float[] zip = outputOf(read("tiny_lf_x2_zip.pt"), input);
        assertEquals(1 * 3 * 20 * 26, legacy.length);
        assertArrayEquals(legacy, zip);
        // Not vacuous: freshly initialised weights give another output.
        try (OisrNet fresh = new OisrNet(new Architecture(BlockType.LF, 2, 8, 2))) {
            assertFalse(java.util.Arrays.equals(legacy,
                    HostTensors.toHost(fresh.forward(HostTensors.toTorch(input))).toFloats()));
        }
    }

    private static float[] outputOf(StateDict weights, HostTensor input) {
        try (OisrNet net = new OisrNet(new Architecture(BlockType.LF, 2, 8, 2))) {
            net.load(weights);
            return HostTensors.toHost(net.forward(HostTensors.toTorch(input))).toFloats();
        }
    }

    /** A smooth 0..255 test pattern. */
    private static float[] rampImage(int n) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) (127.5 + 127.5 * Math.sin(i * 0.37));
        }
        return values;
    }
}

package org.oisrstream.model.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
}

package org.oisrstream.training;

import java.util.LinkedHashMap;
import java.util.Map;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.oisrstream.model.net.OisrNet;
import org.oisrstream.model.weights.StateDict;

/** The model library's {@link OisrNet} as a trainable network. */
public final class OisrNetwork implements SrNetwork {

    private final OisrNet net;

    public OisrNetwork(OisrNet net) {
        this.net = net;
    }

    public OisrNet net() {
        return net;
    }

    @Override
    public Module module() {
        return net;
    }

    @Override
    public int scale() {
        return net.scale();
    }

    @Override
    public String describe() {
        return net.architecture().describe();
    }

    @Override
    public Tensor forward(Tensor rgb255) {
        return net.forward(rgb255);
    }

    @Override
    public Map<String, Tensor> trainableParameters() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        net.namedParameters().forEach((name, t) -> {
            if (t.requires_grad()) {
                out.put(name, t);
            }
        });
        return out;
    }

    @Override
    public StateDict stateDict() {
        return net.stateDict();
    }

    @Override
    public void load(StateDict weights) {
        net.load(weights);
    }

    @Override
    public void setChannelsLast(boolean channelsLast) {
        net.setWeightMemoryFormat(channelsLast ? torch.MemoryFormat.ChannelsLast : torch.MemoryFormat.Contiguous);
    }
}

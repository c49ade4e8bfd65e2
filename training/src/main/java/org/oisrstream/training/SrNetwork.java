package org.oisrstream.training;

import java.util.Map;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;
import org.oisrstream.model.weights.StateDict;

/** What the trainer needs of a super-resolution network: its module, forward pass, parameters and weights. */
public interface SrNetwork {

    /** The LibTorch module (for train/eval mode and device moves). */
    Module module();

    int scale();

    String describe();

    /** RGB in [0, 255], NCHW, to the upscaled RGB in about [0, 255], NCHW, fp32. */
    Tensor forward(Tensor rgb255);

    /** The parameters the optimizer updates, by official name (fixed mean shifts excluded). */
    Map<String, Tensor> trainableParameters();

    /** All weights as fp32 host tensors under their official names. */
    StateDict stateDict();

    /** Loads weights strictly (every key, right shapes). */
    void load(StateDict weights);

    /** Stores the 4-D weights in {@code channelsLast} layout or back in the default one. */
    void setChannelsLast(boolean channelsLast);
}

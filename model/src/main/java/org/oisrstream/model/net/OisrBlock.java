package org.oisrstream.model.net;

import org.bytedeco.pytorch.Conv2dImpl;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.PReLUImpl;
import org.bytedeco.pytorch.Tensor;

/**
 * Common part of the OISR blocks: convolutions {@code conv1..convN}, PReLUs {@code relu1..reluN} and scalars
 * {@code scale1..scaleM}, registered under the official state-dict names. Step {@code P_i(x) = conv_i(prelu_i(x))}.
 */
public abstract class OisrBlock extends Module {

    private final Conv2dImpl[] convs;
    private final PReLUImpl[] prelus;
    private final Tensor[] scales;

    OisrBlock(long features, BlockType type, double... scaleInits) {
        if (scaleInits.length != type.scales()) {
            throw new IllegalArgumentException(type + " needs " + type.scales() + " scale inits");
        }
        // Scales first: PyTorch lists a module's own parameters before its children's.
        scales = new Tensor[type.scales()];
        for (int i = 0; i < scales.length; i++) {
            // register_parameter returns a reference into the module's parameter table, which moves as the table
            // grows; keep our own handle to the same tensor instead.
            scales[i] = new Tensor(register_parameter("scale" + (i + 1), Layers.scalar(scaleInits[i])));
        }
        convs = new Conv2dImpl[type.convs()];
        prelus = new PReLUImpl[type.convs()];
        for (int i = 0; i < convs.length; i++) {
            convs[i] = register_module("conv" + (i + 1), Layers.conv(features, features, 3));
        }
        for (int i = 0; i < prelus.length; i++) {
            prelus[i] = register_module("relu" + (i + 1), Layers.prelu(features));
        }
    }

    /** {@code P_i(x) = conv_i(prelu_i(x))}, 1-based like the parameter names. */
    protected final Tensor step(int i, Tensor x) {
        return convs[i - 1].forward(prelus[i - 1].forward(x));
    }

    /** The learnable scalar {@code scale<i>} (shape [1]), 1-based. */
    protected final Tensor scale(int i) {
        return scales[i - 1];
    }

    public abstract Tensor forward(Tensor x);
}

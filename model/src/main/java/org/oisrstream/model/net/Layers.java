package org.oisrstream.model.net;

import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.pytorch.Conv2dImpl;
import org.bytedeco.pytorch.Conv2dOptions;
import org.bytedeco.pytorch.PReLUImpl;
import org.bytedeco.pytorch.PReLUOptions;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/** Factories for the layers OISR is made of, initialised like PyTorch's defaults. */
final class Layers {

    static final float[] RGB_MEAN = {0.4488f, 0.4371f, 0.4040f};
    static final float RGB_RANGE = 255f;

    private Layers() {
    }

    /**
     * A k x k convolution with bias and "same" padding. LibTorch initialises it exactly as PyTorch does:
     * kaiming-uniform weights with a = sqrt(5), bias uniform in +-1/sqrt(fan_in).
     */
    static Conv2dImpl conv(long in, long out, long kernel) {
        Conv2dOptions options = new Conv2dOptions(in, out, new LongPointer(kernel, kernel));
        options.padding().put(new LongPointer(kernel / 2, kernel / 2));
        return new Conv2dImpl(options);
    }

    /** Per-channel PReLU with slopes initialised to 0.25. */
    static PReLUImpl prelu(long channels) {
        PReLUOptions options = new PReLUOptions();
        options.num_parameters().put(channels);
        options.init().put(0.25);
        return new PReLUImpl(options);
    }

    /** A learnable scalar of shape [1]. */
    static Tensor scalar(double init) {
        return torch.full(new long[] {1}, new Scalar(init));
    }

    /**
     * The fixed 1x1 convolution that subtracts ({@code sign = -1}) or adds ({@code +1}) the DIV2K mean colour
     * times 255: identity weight, bias = sign * 255 * mean. Not trained, as in the official code.
     */
    static Conv2dImpl meanShift(int sign) {
        Conv2dImpl conv = conv(3, 3, 1);
        float[] identity = new float[9];
        float[] bias = new float[3];
        for (int c = 0; c < 3; c++) {
            identity[c * 3 + c] = 1f;
            bias[c] = sign * RGB_RANGE * RGB_MEAN[c];
        }
        try (var noGrad = new org.bytedeco.pytorch.NoGradGuard()) {
            conv.weight().copy_(Tensor.create(identity, 3, 3, 1, 1));
            conv.bias().copy_(Tensor.create(bias, 3));
        }
        conv.weight().set_requires_grad(false);
        conv.bias().set_requires_grad(false);
        return conv;
    }
}

package org.oisrstream.jobs.bench;

import java.util.function.Function;
import java.util.function.Supplier;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Conv2dImpl;
import org.bytedeco.pytorch.Conv2dOptions;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.InferenceMode;
import org.bytedeco.pytorch.MemoryFormatOptional;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * One convolution alone, with random weights and input, laid out and typed as in the network: what `oisr bench`
 * times as the machine's ceiling (64->64 3x3) and as each convolution row of {@link LayerProfile}.
 */
public record ConvProbe(long inChannels, long outChannels, int kernel, int batch, int width, int height) {

    public double macs() {
        return (double) batch * inChannels * outChannels * kernel * kernel * width * height;
    }

    /** Builds the convolution on {@code device}, then hands its forward pass to {@code timer} and returns what it says. */
    public <T> T time(Device device, torch.ScalarType type, torch.MemoryFormat format, Function<Supplier<?>, T> timer) {
        Conv2dOptions options = new Conv2dOptions(inChannels, outChannels, new LongPointer(kernel, kernel));
        options.padding().put(new LongPointer(kernel / 2, kernel / 2));
        Conv2dImpl conv = new Conv2dImpl(options);
        try {
            conv.to(device, type, false);
            try (PointerScope scope = new PointerScope(); InferenceMode mode = new InferenceMode()) {
                conv.weight().set_data(conv.weight().contiguous(format));
                Tensor x = torch.rand(batch, inChannels, height, width).mul(new Scalar(255.0))
                        .to(device, type, false, false, new MemoryFormatOptional(format));
                return timer.apply(() -> conv.forward(x));
            }
        } finally {
            conv.close();
        }
    }
}

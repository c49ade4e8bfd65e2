package org.oisrstream.training;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.ScalarOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.oisrstream.model.image.RgbImage;
import org.oisrstream.model.infer.ImageUpscaler;

/**
 * The network being trained as an {@link ImageUpscaler}, for validation with the model library's evaluator: one
 * image at a time, fp32, no gradients, output rounded and clamped to 8 bits as the official test code does.
 * OISR has no dropout or batch norm, so train and eval mode compute the same; the mode is left alone (calling
 * {@code Module.train} on a Java subclass of a bytedeco module fails in the bindings).
 */
final class NetworkUpscaler implements ImageUpscaler {

    private final SrNetwork network;
    private final Device device;
    private final boolean channelsLast;

    NetworkUpscaler(SrNetwork network, Device device, boolean channelsLast) {
        this.network = network;
        this.device = device;
        this.channelsLast = channelsLast;
    }

    @Override
    public int scale() {
        return network.scale();
    }

    @Override
    public String describe() {
        return network.describe() + " (training, fp32)";
    }

    @Override
    public List<RgbImage> upscale(List<RgbImage> images) {
        List<RgbImage> out = new ArrayList<>(images.size());
        try (NoGradGuard noGrad = new NoGradGuard()) {
            for (RgbImage image : images) {
                out.add(upscaleOne(image));
            }
        }
        return out;
    }

    private RgbImage upscaleOne(RgbImage image) {
        try (PointerScope scope = new PointerScope()) {
            Tensor bytes = Tensor.create(image.pixels(), false, 1, image.height(), image.width(), 3);
            Tensor input = bytes.to(device, torch.ScalarType.Float).permute(0, 3, 1, 2);
            Tensor sr = network.forward(channelsLast ? input : input.contiguous());
            Tensor quantized = sr.clamp(new ScalarOptional(new Scalar(0.0)), new ScalarOptional(new Scalar(255.0)))
                    .round().to(torch.ScalarType.Byte).permute(0, 2, 3, 1).contiguous().cpu();
            int w = image.width() * scale();
            int h = image.height() * scale();
            byte[] pixels = new byte[w * h * 3];
            quantized.data_ptr_byte().get(pixels);
            return new RgbImage(w, h, pixels);
        }
    }
}

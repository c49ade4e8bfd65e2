package org.oisrstream.training;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.global.torch;
import org.oisrstream.model.image.RgbImage;
import org.oisrstream.model.infer.ImageTensors;
import org.oisrstream.model.infer.ImageUpscaler;
import org.oisrstream.model.net.OisrNet;

/**
 * The network being trained as an {@link ImageUpscaler}, for validation with the model library's evaluator: one
 * image at a time, fp32, no gradients, output rounded and clamped to 8 bits as the official test code does.
 * OISR has no dropout or batch norm, so train and eval mode compute the same; the mode is left alone (calling
 * {@code Module.train} on a Java subclass of a bytedeco module fails in the bindings).
 */
final class ValidationUpscaler implements ImageUpscaler {

    private final OisrNet network;
    private final Device device;
    private final torch.MemoryFormat layout;

    ValidationUpscaler(OisrNet network, Device device, torch.MemoryFormat layout) {
        this.network = network;
        this.device = device;
        this.layout = layout;
    }

    @Override
    public int scale() {
        return network.scale();
    }

    @Override
    public String describe() {
        return network.architecture().describe() + " (training, fp32)";
    }

    @Override
    public List<RgbImage> upscale(List<RgbImage> images) {
        List<RgbImage> out = new ArrayList<>(images.size());
        try (NoGradGuard noGrad = new NoGradGuard()) {
            for (RgbImage image : images) {
                try (PointerScope scope = new PointerScope()) {
                    out.addAll(ImageTensors.toImages(network.forward(ImageTensors.toTensor(List.of(image), device,
                            layout))));
                }
            }
        }
        return out;
    }
}

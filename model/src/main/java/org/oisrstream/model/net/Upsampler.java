package org.oisrstream.model.net;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.pytorch.Conv2dImpl;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * EDSR's sub-pixel upsampler: x2 and x3 are one conv F -> s*s*F and a pixel shuffle; x4 is the x2 step twice.
 * Convolutions sit at the indices of the official {@code nn.Sequential} ({@code 0}, and {@code 2} for x4).
 */
public final class Upsampler extends Module {

    private final List<Conv2dImpl> convs = new ArrayList<>();
    private final long shuffle;

    public Upsampler(int scale, long features) {
        shuffle = scale == 3 ? 3 : 2;
        int steps = scale == 4 ? 2 : 1;
        for (int i = 0; i < steps; i++) {
            convs.add(register_module(Integer.toString(2 * i), Layers.conv(features, shuffle * shuffle * features, 3)));
        }
    }

    /** The pixel-shuffle factor of each step (2, or 3 at x3). */
    long shuffle() {
        return shuffle;
    }

    public Tensor forward(Tensor x) {
        Tensor out = x;
        for (Conv2dImpl conv : convs) {
            Tensor in = out;
            out = Scoped.result(() -> torch.pixel_shuffle(conv.forward(in), shuffle));
        }
        return out;
    }
}

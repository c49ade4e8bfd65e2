package org.oisrstream.model.infer;

import java.util.Locale;
import org.bytedeco.pytorch.global.torch;

/** Memory layout of activations and weights. */
public enum MemoryLayout {
    /** Channels-last on the CPU (oneDNN's native layout, measured faster: docs/benchmarks.md), NCHW on CUDA. */
    AUTO,
    NCHW,
    CHANNELS_LAST;

    public static MemoryLayout parse(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT).replace('-', '_');
        return switch (t) {
            case "auto" -> AUTO;
            case "nchw", "contiguous" -> NCHW;
            case "channels_last", "nhwc" -> CHANNELS_LAST;
            default -> throw new IllegalArgumentException("unknown memory layout '" + text
                    + "' (expected auto, nchw or channels-last)");
        };
    }

    MemoryLayout resolve(ComputeDevice device) {
        if (this != AUTO) {
            return this;
        }
        return device.isCuda() ? NCHW : CHANNELS_LAST;
    }

    public torch.MemoryFormat memoryFormat() {
        return this == CHANNELS_LAST ? torch.MemoryFormat.ChannelsLast : torch.MemoryFormat.Contiguous;
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}

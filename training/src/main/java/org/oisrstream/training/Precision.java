package org.oisrstream.training;

import java.util.Locale;
import java.util.Optional;
import org.bytedeco.pytorch.global.torch;

/**
 * Arithmetic of the forward and backward passes. Weights, gradients and Adam state stay fp32 in every mode (the
 * master weights); bf16 and fp16 run the convolutions under LibTorch autocast, and fp16 also scales the loss.
 */
public enum Precision {
    FP32, BF16, FP16;

    public static Precision parse(String text) {
        try {
            return valueOf(text.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown precision '" + text + "' (expected fp32, bf16 or fp16)");
        }
    }

    /** The autocast dtype, empty for fp32. */
    public Optional<torch.ScalarType> autocastType() {
        return switch (this) {
            case FP32 -> Optional.empty();
            case BF16 -> Optional.of(torch.ScalarType.BFloat16);
            case FP16 -> Optional.of(torch.ScalarType.Half);
        };
    }

    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }
}

package org.oisrstream.model.infer;

import java.util.Locale;
import org.bytedeco.pytorch.global.torch;

/** Number format of the convolutional trunk (the mean shifts and the output always use fp32). */
public enum Precision {
    FP32(torch.ScalarType.Float),
    /** bfloat16: fast on CPUs with AVX512-BF16/AMX and on recent GPUs. */
    BF16(torch.ScalarType.BFloat16),
    /** float16: CUDA only (LibTorch's CPU fp16 convolutions are slow reference kernels). */
    FP16(torch.ScalarType.Half);

    private final torch.ScalarType scalarType;

    Precision(torch.ScalarType scalarType) {
        this.scalarType = scalarType;
    }

    public torch.ScalarType scalarType() {
        return scalarType;
    }

    public static Precision parse(String text) {
        try {
            return valueOf(text.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown precision '" + text + "' (expected fp32, bf16 or fp16)");
        }
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}

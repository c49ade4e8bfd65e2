package org.oisrstream.model.infer;

import java.util.Locale;
import java.util.Optional;
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

    /** The word that asks for {@link #forDevice}'s choice. */
    public static final String AUTO = "auto";

    /** A concrete precision; {@code auto} is refused here (it needs the device: see {@link #resolve}). */
    public static Precision parse(String text) {
        try {
            return valueOf(text.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown precision '" + text + "' (expected auto, fp32, bf16 or fp16)");
        }
    }

    /** Checks that {@code text} is {@code auto} or a precision name, without a device. */
    public static void check(String text) {
        if (!isAuto(text)) {
            parse(text);
        }
    }

    public static boolean isAuto(String text) {
        return text.strip().equalsIgnoreCase(AUTO);
    }

    /** {@code text} on a resolved device: {@code auto} becomes {@link #forDevice}'s choice. */
    public static Precision resolve(String text, ComputeDevice device) {
        return isAuto(text) ? forDevice(device, CpuFeatures.host()) : parse(text);
    }

    /**
     * The fastest precision that keeps the shipped networks' quality (within 0.05 dB PSNR of fp32 on Set5 and B100,
     * measured in docs/models.md): fp16 on CUDA, bf16 on a CPU with native bf16 (AVX512-BF16 or AMX), else fp32.
     */
    public static Precision forDevice(ComputeDevice device, CpuFeatures cpu) {
        if (device.isCuda()) {
            return FP16;
        }
        return cpu.nativeBf16() ? BF16 : FP32;
    }

    /**
     * The dtype LibTorch autocast runs the convolutions in when this precision is used with fp32 master weights
     * (training); empty for fp32, which needs no autocast.
     */
    public Optional<torch.ScalarType> autocastType() {
        return this == FP32 ? Optional.empty() : Optional.of(scalarType);
    }

    /** Bytes per value. */
    public int bytes() {
        return this == FP32 ? 4 : 2;
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}

package org.oisrstream.model.net;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.oisrstream.model.weights.DType;
import org.oisrstream.model.weights.HostTensor;

/** Copies between Java-side {@link HostTensor}s and LibTorch tensors. */
public final class HostTensors {

    private HostTensors() {
    }

    /** A new fp32 CPU tensor with the values of {@code host} (converted from F16, BF16 or F64 if needed). */
    public static Tensor toTorch(HostTensor host) {
        if (!host.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException("expected a floating-point tensor, got " + host.dtype());
        }
        return Tensor.create(host.toFloats(), host.shape());
    }

    /** The values of {@code tensor} (any device, any floating dtype) as an F32 host tensor. */
    public static HostTensor toHost(Tensor tensor) {
        Tensor cpu = tensor.detach().to(new org.bytedeco.pytorch.Device(torch.DeviceType.CPU), torch.ScalarType.Float)
                .contiguous();
        float[] values = new float[Math.toIntExact(cpu.numel())];
        cpu.data_ptr_float().get(values);
        return HostTensor.ofFloats(cpu.shape(), values).to(DType.F32);
    }
}

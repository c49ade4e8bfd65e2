package org.oisrstream.training;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.oisrstream.model.infer.Precision;
import org.oisrstream.model.net.OisrNet;
import org.oisrstream.model.net.TorchRuntime;
import org.oisrstream.training.data.PatchBatch;
import org.oisrstream.training.distributed.DataParallelGroup;
import org.oisrstream.training.optim.AdamOptimizer;
import org.oisrstream.training.optim.LossScaler;

/**
 * One optimisation step: the batch to tensors on the device, forward (under autocast for bf16/fp16), L1 loss in
 * fp32, backward, and an Adam update of the fp32 master weights. For fp16 the loss is scaled and a step whose
 * gradients overflow is skipped. In a data-parallel run the gradients are averaged over the replicas between
 * backward and update (see {@link DataParallelGroup}).
 */
public final class TrainingStep {

    /**
     * The loss of a step (unscaled, per pixel and channel, on the 0..255 scale; the mean over the replicas), whether
     * it was applied, and whether the run is to stop after it (asked for here or, data-parallel, on any replica).
     */
    public record Outcome(double loss, boolean applied, boolean stop) {
    }

    private final OisrNet network;
    private final AdamOptimizer optimizer;
    private final Precision precision;
    private final boolean channelsLast;
    private final Device device;
    private final LossScaler lossScaler;
    private DataParallelGroup replicas;
    private long recomputedSteps;

    public TrainingStep(OisrNet network, AdamOptimizer optimizer, Precision precision, boolean channelsLast,
                        Device device, LossScaler lossScaler) {
        this.network = network;
        this.optimizer = optimizer;
        this.precision = precision;
        this.channelsLast = channelsLast;
        this.device = device;
        this.lossScaler = lossScaler;
        if (precision == Precision.FP16 && lossScaler == null) {
            throw new IllegalArgumentException("fp16 training needs a loss scaler");
        }
    }

    /** Averages every step's gradients with the other replicas of {@code group} before the update. */
    public TrainingStep replicatedOver(DataParallelGroup group) {
        this.replicas = group;
        return this;
    }

    public Outcome run(PatchBatch batch, double learningRate) {
        return run(batch, learningRate, false);
    }

    public Outcome run(PatchBatch batch, double learningRate, boolean stopRequested) {
        try (PointerScope scope = new PointerScope()) {
            Tensor lr = toDevice(batch.lr(), batch.size(), batch.lrPatch());
            Tensor hr = toDevice(batch.hr(), batch.size(), batch.hrPatch());
            double scale = precision == Precision.FP16 ? lossScaler.scale() : 1.0;
            Tensor loss = backward(lr, hr, scale);
            if (device.is_cpu() && precision != Precision.FP16 && !gradientsFinite()) {
                // oneDNN's CPU convolution backward now and then returns NaN for finite inputs on multi-threaded
                // AVX-512 machines (docs/training.md); the same batch again on LibTorch's own kernels is exact.
                recomputedSteps++;
                try (TorchRuntime.Restorer nativeKernels = TorchRuntime.cpuTrainingConvolutions(true)) {
                    loss = backward(lr, hr, scale);
                }
            }
            double lossValue = loss.item_double();
            boolean applied = true;
            boolean stop = stopRequested;
            if (replicas != null) {
                DataParallelGroup.Reduced reduced = averageOverReplicas(lossValue, stopRequested);
                lossValue = reduced.meanLoss();
                stop = reduced.stop();
            }
            if (!Double.isFinite(lossValue)) {
                throw new IllegalStateException("training diverged: loss is " + lossValue);
            }
            if (precision == Precision.FP16) {
                boolean finite = unscaleGradients(1.0 / scale);
                lossScaler.update(finite);
                applied = finite;
            } else if (!gradientsFinite()) {
                throw new IllegalStateException("training diverged: finite loss " + lossValue
                        + " but non-finite gradients on the device's own kernels too");
            }
            if (applied) {
                optimizer.step(learningRate);
            }
            optimizer.zeroGrad();
            return new Outcome(lossValue, applied, stop);
        }
    }

    /**
     * Steps whose gradients were not finite on oneDNN's convolutions and were recomputed on LibTorch's own (CPU only).
     */
    public long recomputedSteps() {
        return recomputedSteps;
    }

    /** Zeroes the gradients, then forward, L1 loss (times {@code scale}) and backward; returns the unscaled loss. */
    private Tensor backward(Tensor lr, Tensor hr, double scale) {
        optimizer.zeroGrad();
        Tensor loss = torch.l1_loss(forward(lr).to(torch.ScalarType.Float), hr);
        (scale == 1.0 ? loss : loss.mul(new Scalar(scale))).backward();
        return loss;
    }

    private boolean gradientsFinite() {
        try (NoGradGuard noGrad = new NoGradGuard()) {
            Tensor total = null;
            for (Tensor parameter : network.trainableParameters()) {
                Tensor g = parameter.grad();
                if (g.defined()) {
                    Tensor s = g.abs().sum();
                    total = total == null ? s : total.add(s);
                }
            }
            return total == null || Double.isFinite(total.item_double());
        }
    }

    private DataParallelGroup.Reduced averageOverReplicas(double loss, boolean stopRequested) {
        return replicas.averageGradients(network.trainableParameters().stream().map(Tensor::grad).toList(),
                loss, stopRequested);
    }

    /** The network's output for an LR batch, with autocast on for bf16/fp16. */
    Tensor forward(Tensor lr) {
        var autocast = precision.autocastType();
        if (autocast.isEmpty()) {
            return network.forward(lr);
        }
        torch.DeviceType type = device.type();
        boolean wasEnabled = torch.is_autocast_enabled(type);
        torch.ScalarType previous = torch.get_autocast_dtype(type);
        boolean wasCaching = torch.is_autocast_cache_enabled();
        // No weight cast cache: the cache lives until autocast is exited from Python's context manager, which the
        // C++ switches here do not do, so it would serve stale weights after the first update.
        torch.set_autocast_cache_enabled(false);
        torch.set_autocast_dtype(type, autocast.get());
        torch.set_autocast_enabled(type, true);
        try {
            return network.forward(lr);
        } finally {
            torch.set_autocast_enabled(type, wasEnabled);
            torch.set_autocast_dtype(type, previous);
            torch.set_autocast_cache_enabled(wasCaching);
        }
    }

    /** uint8 NHWC bytes to a float NCHW tensor on the device, channels-last in memory when asked. */
    Tensor toDevice(byte[] nhwc, int n, int side) {
        Tensor bytes = Tensor.create(nhwc, false, n, side, side, 3);
        Tensor onDevice = device.is_cpu() ? bytes : bytes.to(device, torch.ScalarType.Byte);
        // NHWC permuted to NCHW has exactly the channels-last strides; make it plain NCHW when that is wanted.
        Tensor nchw = onDevice.to(torch.ScalarType.Float).permute(0, 3, 1, 2);
        return channelsLast ? nchw : nchw.contiguous();
    }

    /** Multiplies every gradient by {@code factor}; false if any of them holds an inf or NaN. */
    private boolean unscaleGradients(double factor) {
        try (NoGradGuard noGrad = new NoGradGuard()) {
            Scalar f = new Scalar(factor);
            for (Tensor parameter : network.trainableParameters()) {
                Tensor g = parameter.grad();
                if (g.defined()) {
                    g.mul_(f);
                }
            }
        }
        return gradientsFinite();
    }
}

package org.oisrstream.training.optim;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * Adam (Kingma and Ba), the update of {@code torch.optim.Adam} without weight decay or amsgrad, over named fp32
 * parameters. Written with tensor ops rather than LibTorch's C++ optimizer because the bindings do not expose that
 * optimizer's per-parameter state, and checkpoints must save the moments (as safetensors, keyed by parameter name).
 */
public final class AdamOptimizer {

    public record Hyper(double beta1, double beta2, double eps) {
        public Hyper {
            if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1) || !(eps > 0)) {
                throw new IllegalArgumentException("Adam needs 0 <= beta < 1 and eps > 0");
            }
        }
    }

    private final Map<String, Tensor> params;
    private final Map<String, Tensor> expAvg = new LinkedHashMap<>();
    private final Map<String, Tensor> expAvgSq = new LinkedHashMap<>();
    private final Hyper hyper;
    private long stepCount;

    public AdamOptimizer(Map<String, Tensor> params, Hyper hyper) {
        this.params = new LinkedHashMap<>(params);
        this.hyper = hyper;
        try (NoGradGuard noGrad = new NoGradGuard()) {
            for (Map.Entry<String, Tensor> e : this.params.entrySet()) {
                if (e.getValue().scalar_type().intern() != torch.ScalarType.Float) {
                    throw new IllegalArgumentException("Adam keeps fp32 master weights; " + e.getKey() + " is "
                            + e.getValue().scalar_type());
                }
                expAvg.put(e.getKey(), torch.zeros_like(e.getValue()));
                expAvgSq.put(e.getKey(), torch.zeros_like(e.getValue()));
            }
        }
    }

    public Hyper hyper() {
        return hyper;
    }

    /** Number of updates taken so far (Adam's t, used for bias correction). */
    public long stepCount() {
        return stepCount;
    }

    public List<String> parameterNames() {
        return List.copyOf(params.keySet());
    }

    /** Drops the gradients (sets them undefined, as {@code zero_grad(set_to_none=True)}). */
    public void zeroGrad() {
        for (Tensor p : params.values()) {
            if (p.grad().defined()) {
                p.mutable_grad().reset();
            }
        }
    }

    /** One update with learning rate {@code lr}; parameters without a gradient are left alone. */
    public void step(double lr) {
        stepCount++;
        double b1 = hyper.beta1();
        double b2 = hyper.beta2();
        double biasCorrection1 = 1 - Math.pow(b1, stepCount);
        double biasCorrection2Sqrt = Math.sqrt(1 - Math.pow(b2, stepCount));
        double stepSize = lr / biasCorrection1;
        try (PointerScope scope = new PointerScope(); NoGradGuard noGrad = new NoGradGuard()) {
            Scalar oneMinusB1 = new Scalar(1 - b1);
            Scalar oneMinusB2 = new Scalar(1 - b2);
            Scalar sB1 = new Scalar(b1);
            Scalar sB2 = new Scalar(b2);
            Scalar eps = new Scalar(hyper.eps());
            Scalar invBc2 = new Scalar(1 / biasCorrection2Sqrt);
            Scalar negStep = new Scalar(-stepSize);
            for (Map.Entry<String, Tensor> e : params.entrySet()) {
                Tensor g = e.getValue().grad();
                if (!g.defined()) {
                    continue;
                }
                Tensor m = expAvg.get(e.getKey());
                Tensor v = expAvgSq.get(e.getKey());
                m.mul_(sB1).add_(g, oneMinusB1);
                v.mul_(sB2).addcmul_(g, g, oneMinusB2);
                Tensor denom = v.sqrt().mul_(invBc2).add_(eps);
                e.getValue().addcdiv_(m, denom, negStep);
            }
        }
    }

    /** First moments by parameter name (live tensors; copy before keeping). */
    public Map<String, Tensor> firstMoments() {
        return expAvg;
    }

    /** Second moments by parameter name (live tensors; copy before keeping). */
    public Map<String, Tensor> secondMoments() {
        return expAvgSq;
    }

    /** Restores the moments and step count of a checkpoint; every parameter must have both moments. */
    public void restore(long steps, Map<String, Tensor> firstMoments, Map<String, Tensor> secondMoments) {
        for (String name : params.keySet()) {
            if (!firstMoments.containsKey(name) || !secondMoments.containsKey(name)) {
                throw new IllegalArgumentException("optimizer state has no moments for parameter " + name);
            }
        }
        try (NoGradGuard noGrad = new NoGradGuard()) {
            for (String name : params.keySet()) {
                copyChecked(name, expAvg.get(name), firstMoments.get(name));
                copyChecked(name, expAvgSq.get(name), secondMoments.get(name));
            }
        }
        this.stepCount = steps;
    }

    private static void copyChecked(String name, Tensor into, Tensor from) {
        if (!java.util.Arrays.equals(into.shape(), from.shape())) {
            throw new IllegalArgumentException("optimizer state for " + name + " has shape "
                    + java.util.Arrays.toString(from.shape()) + ", parameter has " + java.util.Arrays.toString(into.shape()));
        }
        into.copy_(from);
    }
}

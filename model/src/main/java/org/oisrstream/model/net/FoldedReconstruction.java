package org.oisrstream.model.net;

import java.util.function.UnaryOperator;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

/**
 * The reconstruction (sub-pixel upsampler and last convolution) folded into one convolution, for inference.
 *
 * <p>Every layer from the trunk's features to the RGB output is affine: EDSR's upsampler has no activation, so
 * conv, pixel shuffle, (conv, pixel shuffle,) conv compose into one {@value #KERNEL}x{@value #KERNEL} convolution
 * F -> 3 s^2 at the input resolution followed by a pixel shuffle by s. At x4 that is 76,800 multiply-adds per
 * input pixel (F = 64) instead of 764,928, and no F x 16 channel maps at 2x and 4x resolution. The two agree
 * exactly (up to floating-point rounding) except within {@value #EDGE} input pixel of the frame's edge, where
 * the layer-by-layer network pads each intermediate map with zeros instead of continuing it: those bands are
 * computed layer by layer, from {@value #BAND} rows or columns of features each (the edge pixel and
 * {@link OisrNet#RECONSTRUCTION_CONTEXT} of context).
 *
 * <p>The folded kernel is measured rather than derived: the layer-by-layer reconstruction is run on F impulse
 * images (a one in one channel at the centre of a {@value #KERNEL}x{@value #KERNEL} canvas) and a blank one.
 * A centred impulse's response reaches two input pixels each way and no intermediate map reaches the canvas
 * edge, so the impulses give the kernel and the blank canvas's centre gives the bias, for any scale.
 */
final class FoldedReconstruction implements AutoCloseable {

    /** Side of the folded kernel: the reconstruction reaches two input pixels each way. */
    static final int KERNEL = 2 * OisrNet.RECONSTRUCTION_CONTEXT + 1;
    /** Input pixels at each edge where the folded convolution differs from the layer-by-layer network. */
    static final int EDGE = 1;
    /** Feature rows (or columns) from which the layer-by-layer network gives an exact edge band. */
    static final int BAND = EDGE + OisrNet.RECONSTRUCTION_CONTEXT;
    /** Frames narrower than this (input pixels) run layer by layer: the edge bands would be most of the work. */
    static final int MIN_SIDE = 4 * BAND;

    private final Tensor weight;
    private final Tensor bias;
    private final int scale;

    private FoldedReconstruction(Tensor weight, Tensor bias, int scale) {
        this.weight = weight;
        this.bias = bias;
        this.scale = scale;
    }

    /**
     * Folds {@code layerByLayer} (features F x h x w -> RGB 3 x sh x sw, affine), whose parameters must be fp32 on
     * the CPU so the fold is computed at full precision; the result is fp32 on the CPU.
     */
    static FoldedReconstruction of(UnaryOperator<Tensor> layerByLayer, long features, int scale) {
        int f = Math.toIntExact(features);
        int centre = KERNEL / 2;
        float[] impulses = new float[(f + 1) * f * KERNEL * KERNEL];
        for (int c = 0; c < f; c++) {
            impulses[((c * f + c) * KERNEL + centre) * KERNEL + centre] = 1f;
        }
        try (PointerScope scope = new PointerScope(); NoGradGuard noGrad = new NoGradGuard()) {
            Tensor canvas = Tensor.create(impulses, f + 1, f, KERNEL, KERNEL);
            // Sub-pixel (i, j) of output channel o at input pixel (y, x) is channel o s^2 + i s + j at (y, x).
            Tensor responses = torch.pixel_unshuffle(layerByLayer.apply(canvas), scale);
            Tensor blank = responses.narrow(0, f, 1);
            // The impulse at the centre answers at (y, x) with kernel tap (centre - y + centre, ...): flip.
            Tensor weight = responses.narrow(0, 0, f).sub(blank).flip(2, 3).transpose(0, 1).contiguous();
            Tensor bias = blank.select(0, 0).select(1, centre).select(1, centre).contiguous();
            // One reference beyond the scope, released by close().
            weight.retainReference();
            bias.retainReference();
            return new FoldedReconstruction(weight, bias, scale);
        }
    }

    /** This fold with its tensors on {@code device} in {@code type} (a new instance; this one stays as it is). */
    FoldedReconstruction to(Device device, torch.ScalarType type) {
        return derived(weight.to(device, type), bias.to(device, type));
    }

    /** This fold with its weight laid out in {@code format} (a new instance; this one stays as it is). */
    FoldedReconstruction withWeightFormat(torch.MemoryFormat format) {
        return derived(weight.contiguous(format), bias.clone());
    }

    private FoldedReconstruction derived(Tensor newWeight, Tensor newBias) {
        // Own handles, independent of this instance's, that outlive any enclosing PointerScope until close().
        newWeight.retainReference();
        newBias.retainReference();
        return new FoldedReconstruction(newWeight, newBias, scale);
    }

    /**
     * The reconstruction of {@code features} (N x F x h x w): the folded convolution, with the edge bands from
     * {@code layerByLayer}; frames narrower than {@link #MIN_SIDE} go through {@code layerByLayer} whole.
     */
    Tensor apply(Tensor features, UnaryOperator<Tensor> layerByLayer) {
        long h = features.size(2);
        long w = features.size(3);
        if (h < MIN_SIDE || w < MIN_SIDE) {
            return layerByLayer.apply(features);
        }
        Tensor out = convolve(features);
        replaceEdges(out, features, 2, layerByLayer);
        replaceEdges(out, features, 3, layerByLayer);
        return out;
    }

    /** The folded convolution and pixel shuffle alone: exact but for {@link #EDGE} pixel at each edge. */
    Tensor convolve(Tensor features) {
        return Scoped.result(() -> torch.pixel_shuffle(torch.conv2d(features, weight, new TensorOptional(bias),
                new long[] {1, 1}, new long[] {KERNEL / 2, KERNEL / 2}, new long[] {1, 1}, 1), scale));
    }

    /** Overwrites the first and last {@link #EDGE} input pixels along {@code dim} (2 = rows, 3 = columns). */
    private void replaceEdges(Tensor out, Tensor features, int dim, UnaryOperator<Tensor> layerByLayer) {
        replaceEdges(out, features, dim, layerByLayer, scale);
    }

    /**
     * Overwrites the first and last {@link #EDGE} input pixels along {@code dim} of {@code out}, which has
     * {@code outPerInput} samples per input pixel along it, with {@code exact} of {@link #BAND}-pixel bands of
     * {@code features} (both bands in one pass: they have the same shape).
     */
    static void replaceEdges(Tensor out, Tensor features, int dim, UnaryOperator<Tensor> exact, int outPerInput) {
        try (PointerScope scope = new PointerScope()) {
            long n = features.size(0);
            long last = features.size(dim) - BAND;
            Tensor bands = torch.cat(new TensorVector(features.narrow(dim, 0, BAND), features.narrow(dim, last, BAND)), 0);
            Tensor exactBands = exact.apply(bands);
            long edge = (long) EDGE * outPerInput;
            out.narrow(dim, 0, edge).copy_(exactBands.narrow(0, 0, n).narrow(dim, 0, edge));
            out.narrow(dim, out.size(dim) - edge, edge)
                    .copy_(exactBands.narrow(0, n, n).narrow(dim, (long) (BAND - EDGE) * outPerInput, edge));
        }
    }

    long[] weightShape() {
        return weight.shape();
    }

    /** The kernel, 3 s^2 x F x {@value #KERNEL} x {@value #KERNEL} (owned by this fold). */
    Tensor weight() {
        return weight;
    }

    /** The bias, 3 s^2 (owned by this fold). */
    Tensor bias() {
        return bias;
    }

    int scale() {
        return scale;
    }

    @Override
    public void close() {
        weight.close();
        bias.close();
    }
}

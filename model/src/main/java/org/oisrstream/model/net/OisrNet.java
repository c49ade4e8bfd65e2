package org.oisrstream.model.net;

import org.oisrstream.model.image.YuvMatrix;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Conv2dImpl;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.StringTensorDict;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.oisrstream.model.image.YuvMatrix;
import org.oisrstream.model.weights.HostTensor;
import org.oisrstream.model.weights.StateDict;

/**
 * An OISR super-resolution network (EDSR skeleton with ODE-inspired blocks) as a LibTorch module whose
 * {@code named_parameters()} are exactly the official state-dict keys, so it trains with any LibTorch optimizer
 * and loads the official weights.
 *
 * <p>Input: RGB in [0, 255], NCHW, any floating dtype; output: RGB in about [0, 255], NCHW, fp32. The mean
 * shifts run in fp32 whatever the parameters' dtype, so bf16/fp16 affect only the convolutional trunk.
 * Build modules outside any {@link PointerScope}: a scope would free them when it closes.
 */
public final class OisrNet extends Module {

    static {
        TorchRuntime.configure();
    }

    private final Architecture architecture;
    private final Conv2dImpl subMean;
    private final Conv2dImpl addMean;
    private final Conv2dImpl headConv;
    private final List<OisrBlock> blocks = new ArrayList<>();
    private final Conv2dImpl bodyConv;
    private final Upsampler upsampler;
    private final Conv2dImpl tailConv;
    // The Java peers of every registered module must stay reachable: LibTorch calls back into them (train(),
    // eval(), ...), and a collected peer makes those calls fail.
    private final Module head;
    private final Module body;
    private final Module tail;
    private FoldedReconstruction folded;
    /** The fold as computed, fp32 on the CPU: what colour folds are made from, at full precision. */
    private FoldedReconstruction foldSource;
    /** Y'CbCr 4:2:0 folds made so far, like {@link #folded} in device, dtype and layout. */
    private final Map<YuvMatrix, FoldedYuv420Reconstruction> yuvFolds = new HashMap<>();

    public OisrNet(ModelSpec spec) {
        this(spec.architecture());
    }

    public OisrNet(Architecture architecture) {
        super("OisrNet");
        this.architecture = architecture;
        long f = architecture.features();
        // Registration order follows the official EDSR-style __init__, so exported dicts list keys in its order.
        subMean = register_module("sub_mean", Layers.meanShift(-1));
        addMean = register_module("add_mean", Layers.meanShift(+1));
        head = register_module("head", new Module("head"));
        headConv = head.register_module("0", Layers.conv(3, f, 3));
        body = register_module("body", new Module("body"));
        for (int i = 0; i < architecture.blocks(); i++) {
            blocks.add(body.register_module(Integer.toString(i), architecture.block().create(f)));
        }
        bodyConv = body.register_module(Integer.toString(architecture.blocks()), Layers.conv(f, f, 3));
        tail = register_module("tail", new Module("tail"));
        upsampler = tail.register_module("0", new Upsampler(architecture.scale(), f));
        tailConv = tail.register_module("1", Layers.conv(f, 3, 3));
    }

    /** A network for {@code spec} with {@code weights} loaded (strictly). */
    public static OisrNet create(ModelSpec spec, StateDict weights) {
        OisrNet net = new OisrNet(spec);
        net.load(weights);
        return net;
    }

    public Architecture architecture() {
        return architecture;
    }

    public int scale() {
        return architecture.scale();
    }

    /** The paper's network this is, if it is one. */
    public Optional<ModelSpec> spec() {
        return architecture.spec();
    }

    public Tensor forward(Tensor rgb255) {
        return reconstruct(features(rgb255));
    }

    /**
     * The first stage: mean shift, head and the residual trunk, giving F feature channels at the input's
     * resolution in the trunk's dtype. Its receptive field is wide (one pixel per 3x3 convolution, about 34 LR
     * pixels for 8 blocks), so tiles of it need real context around them.
     */
    public Tensor features(Tensor rgb255) {
        torch.ScalarType compute = headConv.weight().scalar_type();
        Tensor x = meanShift(toFloat(rgb255), subMean);
        Tensor h = headConv.forward(x.to(compute));
        Tensor res = h;
        for (OisrBlock block : blocks) {
            Tensor in = res;
            res = Scoped.result(() -> block.forward(in));
        }
        Tensor trunk = res;
        return Scoped.result(() -> bodyConv.forward(trunk).add(h));
    }

    /**
     * The second stage: the sub-pixel upsampler and the last convolution, from {@link #features} to RGB 0..255
     * (fp32) at {@code scale} times the resolution. It needs only {@link #RECONSTRUCTION_CONTEXT} input pixels of
     * context, so it runs in strips cheaply. Layer by layer it holds most of the memory at x4 (F x 16 channels per
     * input pixel); after {@link #foldReconstruction}, in eval mode, it runs as one convolution instead.
     */
    public Tensor reconstruct(Tensor features) {
        Tensor out = folded != null && !is_training() ? folded.apply(features, this::upsampleLayerByLayer)
                : upsampleLayerByLayer(features);
        return meanShift(toFloat(out), addMean);
    }

    /**
     * {@link #reconstruct} as Y'CbCr 4:2:0 planes in {@code matrix} (limited range, fp32, unrounded). Folded at an
     * even scale, the colour conversion and chroma averaging are part of the folded convolution
     * ({@link FoldedYuv420Reconstruction}), which then has half the output channels; otherwise the RGB output is
     * converted.
     */
    public Yuv420Planes reconstructYuv420(Tensor features, YuvMatrix matrix) {
        if (folded != null && !is_training() && architecture.scale() % 2 == 0) {
            FoldedYuv420Reconstruction fold = yuvFolds.computeIfAbsent(matrix,
                    m -> FoldedYuv420Reconstruction.of(foldSource, addMean.weight(), addMean.bias(), m, folded));
            return fold.apply(features, this::upsampleLayerByLayer);
        }
        return Yuv420Planes.fromRgb(reconstruct(features), matrix);
    }

    private Tensor upsampleLayerByLayer(Tensor features) {
        return Scoped.result(() -> tailConv.forward(upsampler.forward(features)));
    }

    /**
     * From now on, in eval mode, runs the reconstruction as one folded convolution ({@link FoldedReconstruction}):
     * the same function up to rounding, about 10x fewer multiply-adds at x4. For inference: call it after
     * {@link #load} and before {@link #moveTo}, while the parameters are fp32 on the CPU (the fold is computed
     * from them at full precision); loading weights again drops the fold. Training mode always runs layer by
     * layer.
     */
    public void foldReconstruction() {
        if (headConv.weight().scalar_type().intern() != torch.ScalarType.Float || !headConv.weight().is_cpu()) {
            throw new IllegalStateException("fold the reconstruction while the network is fp32 on the CPU");
        }
        dropFold();
        foldSource = FoldedReconstruction.of(this::upsampleLayerByLayer, architecture.features(), architecture.scale());
        folded = foldSource.to(new org.bytedeco.pytorch.Device(torch.DeviceType.CPU), torch.ScalarType.Float);
    }

    /** Whether {@link #reconstruct} runs folded (in eval mode). */
    public boolean reconstructionFolded() {
        return folded != null;
    }

    /** Replaces the fold, if any, with {@code change} of it (a new instance), closing the old one. */
    private void replaceFold(UnaryOperator<FoldedReconstruction> change) {
        dropColourFolds();
        if (folded != null) {
            FoldedReconstruction changed = change.apply(folded);
            folded.close();
            folded = changed;
        }
    }

    private void dropFold() {
        dropColourFolds();
        if (folded != null) {
            folded.close();
            folded = null;
        }
        if (foldSource != null) {
            foldSource.close();
            foldSource = null;
        }
    }

    private void dropColourFolds() {
        yuvFolds.values().forEach(FoldedYuv420Reconstruction::close);
        yuvFolds.clear();
    }

    /**
     * Input pixels of context on each side that make a tile of {@link #reconstruct} exact. Its 3x3 convolutions
     * run at 1x, 2x and 4x (x4) or 1x and 2x/3x: one input pixel for the first, and for the later ones one pixel
     * at their resolution, which rounds up to one more input pixel in all (the tests check that one fewer is not
     * exact).
     */
    public static final int RECONSTRUCTION_CONTEXT = 2;

    static Tensor toFloat(Tensor t) {
        // Compare interned constants: scalar_type() may return a different enum instance for the same value.
        return t.scalar_type().intern() == torch.ScalarType.Float ? t : t.to(torch.ScalarType.Float);
    }

    private static Tensor meanShift(Tensor x, Conv2dImpl shift) {
        Tensor w = toFloat(shift.weight());
        Tensor b = toFloat(shift.bias());
        return torch.conv2d(x, w, new TensorOptional(b), new long[] {1, 1}, new long[] {0, 0}, new long[] {1, 1}, 1);
    }

    /** Parameters by official name, in registration order. */
    public Map<String, Tensor> namedParameters() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        // item.value() is a reference into the item, which dies with it: take our own handle on the tensor while
        // try-with-resources keeps the dict and the item reachable. Without that the GC may free the item between
        // value() and the copy: the likely cause of one non-reproducible SIGSEGV in copy_ while loading weights.
        try (StringTensorDict dict = named_parameters(true)) {
            for (long i = 0; i < dict.size(); i++) {
                try (var item = dict.get(i)) {
                    out.put(item.key().getString(), new Tensor(item.value()));
                }
            }
        }
        return out;
    }

    /** Total number of parameters, frozen mean shifts included (as the paper's tables count them). */
    public long parameterCount() {
        long n = 0;
        for (Tensor t : namedParameters().values()) {
            n += t.numel();
        }
        return n;
    }

    /** The parameters an optimizer should update (everything but the fixed mean shifts). */
    public List<Tensor> trainableParameters() {
        return List.copyOf(namedTrainableParameters().values());
    }

    /** {@link #trainableParameters()} by official name, in registration order (optimizer state is keyed by it). */
    public Map<String, Tensor> namedTrainableParameters() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        namedParameters().forEach((name, t) -> {
            if (t.requires_grad()) {
                out.put(name, t);
            }
        });
        return out;
    }

    /** {@link #trainableParameters()} as the vector LibTorch optimizers take, e.g. {@code new Adam(vector, options)}. */
    public TensorVector trainableParameterVector() {
        return new TensorVector(trainableParameters().toArray(new Tensor[0]));
    }

    /**
     * Copies {@code weights} into this network. Strict: every key must be present with the right shape and no
     * key may be extra (a {@code module.} prefix from DataParallel is accepted); all is checked before anything
     * is copied, and a mismatch raises one {@link WeightsMismatchException} naming the keys and shapes, or saying
     * which network the weights are for when that can be told from their shapes.
     */
    public void load(StateDict weights) {
        Map<String, HostTensor> incoming = weights.withoutDataParallelPrefix().tensors();
        Map<String, Tensor> own = namedParameters();
        Map<String, long[]> expected = new LinkedHashMap<>();
        own.forEach((name, t) -> expected.put(name, t.shape()));
        StateDictChecker.check(incoming, expected, architecture);
        dropFold();
        try (PointerScope scope = new PointerScope(); NoGradGuard noGrad = new NoGradGuard()) {
            for (Map.Entry<String, Tensor> e : own.entrySet()) {
                e.getValue().copy_(HostTensors.toTorch(incoming.get(e.getKey())));
            }
        }
    }

    /** All parameters as F32 host tensors under their official names, with the architecture as metadata. */
    public StateDict stateDict() {
        Map<String, HostTensor> out = new LinkedHashMap<>();
        try (PointerScope scope = new PointerScope()) {
            namedParameters().forEach((name, t) -> out.put(name, HostTensors.toHost(t)));
        }
        Map<String, String> meta = new LinkedHashMap<>();
        spec().ifPresent(s -> {
            meta.put("variant", s.variant().cliName());
            meta.put("scale", Integer.toString(s.scale()));
        });
        meta.put("architecture", architecture.block() + " B=" + architecture.blocks() + " F="
                + architecture.features() + " x" + architecture.scale());
        return new StateDict(out, meta);
    }

    /**
     * Moves the network to {@code device} with the trunk in {@code trunkType}; the mean shifts stay fp32 so the
     * exact colour offsets survive bf16/fp16.
     */
    public void moveTo(org.bytedeco.pytorch.Device device, torch.ScalarType trunkType) {
        to(device, trunkType, false);
        replaceFold(fold -> fold.to(device, trunkType));
        try (PointerScope scope = new PointerScope(); NoGradGuard noGrad = new NoGradGuard()) {
            for (Conv2dImpl shift : List.of(subMean, addMean)) {
                shift.weight().set_data(shift.weight().to(torch.ScalarType.Float));
                shift.bias().set_data(shift.bias().to(torch.ScalarType.Float));
            }
        }
    }

    /**
     * Stores the 4-D weights in {@code format} (channels-last helps oneDNN on CPU). Call after {@code to(...)}.
     */
    public void setWeightMemoryFormat(torch.MemoryFormat format) {
        try (PointerScope scope = new PointerScope(); NoGradGuard noGrad = new NoGradGuard()) {
            for (Tensor t : namedParameters().values()) {
                if (t.dim() == 4) {
                    t.set_data(t.contiguous(format));
                }
            }
        }
        replaceFold(fold -> fold.withWeightFormat(format));
    }

    @Override
    public void close() {
        dropFold();
        super.close();
    }
}

package org.oisrstream.model.net;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.oisrstream.model.weights.HostTensor;

/**
 * State-dict keys and shapes of OISR networks written out independently of {@link OisrNet}, so the shape-based
 * detection and checking are tested against the official layout rather than against the network itself.
 */
public final class OisrShapes {

    private OisrShapes() {
    }

    /**
     * Keys and shapes of an OISR network as laid out in the official code: MeanShift 1x1 convs, head conv, blocks
     * (convK + PReLU reluK with F slopes + scaleK scalars), the body's last conv, the upsampler and the tail conv.
     */
    public static Map<String, long[]> of(int blocks, int features, BlockType type, int scale) {
        Map<String, long[]> s = new LinkedHashMap<>();
        long f = features;
        s.put("sub_mean.weight", new long[] {3, 3, 1, 1});
        s.put("sub_mean.bias", new long[] {3});
        s.put("head.0.weight", new long[] {f, 3, 3, 3});
        s.put("head.0.bias", new long[] {f});
        for (int b = 0; b < blocks; b++) {
            for (int k = 1; k <= type.scales(); k++) {
                s.put("body." + b + ".scale" + k, new long[] {1});
            }
            for (int c = 1; c <= type.convs(); c++) {
                s.put("body." + b + ".conv" + c + ".weight", new long[] {f, f, 3, 3});
                s.put("body." + b + ".conv" + c + ".bias", new long[] {f});
            }
            for (int c = 1; c <= type.convs(); c++) {
                s.put("body." + b + ".relu" + c + ".weight", new long[] {f});
            }
        }
        s.put("body." + blocks + ".weight", new long[] {f, f, 3, 3});
        s.put("body." + blocks + ".bias", new long[] {f});
        List<Integer> upsamplers = scale == 3 ? List.of(0) : scale == 2 ? List.of(0) : List.of(0, 2);
        for (int i : upsamplers) {
            long out = scale == 3 ? 9 * f : 4 * f;
            s.put("tail.0." + i + ".weight", new long[] {out, f, 3, 3});
            s.put("tail.0." + i + ".bias", new long[] {out});
        }
        s.put("tail.1.weight", new long[] {3, f, 3, 3});
        s.put("tail.1.bias", new long[] {3});
        s.put("add_mean.weight", new long[] {3, 3, 1, 1});
        s.put("add_mean.bias", new long[] {3});
        return s;
    }

    public static Map<String, long[]> of(Architecture a) {
        return of(a.blocks(), a.features(), a.block(), a.scale());
    }

    public static Map<String, long[]> of(String variant, int scale) {
        return of(ModelSpec.of(variant, scale).architecture());
    }

    /** Zero-filled fp32 tensors of these shapes. */
    public static Map<String, HostTensor> zeros(Map<String, long[]> shapes) {
        Map<String, HostTensor> tensors = new LinkedHashMap<>();
        shapes.forEach((name, shape) -> tensors.put(name,
                HostTensor.ofFloats(shape, new float[Math.toIntExact(HostTensor.numel(shape))])));
        return tensors;
    }
}

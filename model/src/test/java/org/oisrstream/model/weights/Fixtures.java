package org.oisrstream.model.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Test fixtures from src/test/resources/weights (made by src/test/python/make_checkpoints.py) and helpers. */
final class Fixtures {

    private Fixtures() {
    }

    static Path path(String name) {
        URL url = Fixtures.class.getResource("/weights/" + name);
        if (url == null) {
            throw new IllegalStateException("missing test fixture " + name);
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Same keys in the same order, and every tensor identical in dtype, shape and bytes. */
    static void assertSameTensors(StateDict expected, StateDict actual) {
        assertEquals(new ArrayList<>(expected.tensors().keySet()), new ArrayList<>(actual.tensors().keySet()));
        for (String key : expected.tensors().keySet()) {
            HostTensor e = expected.tensors().get(key);
            HostTensor a = actual.tensors().get(key);
            assertEquals(e.dtype(), a.dtype(), key);
            assertArrayEquals(e.shape(), a.shape(), key);
            assertTrue(e.contentEquals(a), key + ": values differ");
        }
    }

    static StateDict randomFloats(long seed, Map<String, long[]> shapes) {
        Random random = new Random(seed);
        Map<String, HostTensor> tensors = new LinkedHashMap<>();
        shapes.forEach((name, shape) -> {
            float[] values = new float[Math.toIntExact(HostTensor.numel(shape))];
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) random.nextGaussian();
            }
            tensors.put(name, HostTensor.ofFloats(shape, values));
        });
        return new StateDict(tensors);
    }

    /**
     * Keys and shapes of an OISR network as laid out in the official code: MeanShift 1x1 convs, head conv, blocks
     * (convK + PReLU reluK with F slopes + scaleK scalars), the body's last conv, the upsampler and the tail conv.
     */
    static Map<String, long[]> oisrShapes(int blocks, int features, BlockType type, int scale) {
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
            for (int c = 1; c <= type.convolutions(); c++) {
                s.put("body." + b + ".conv" + c + ".weight", new long[] {f, f, 3, 3});
                s.put("body." + b + ".conv" + c + ".bias", new long[] {f});
            }
            for (int c = 1; c <= type.convolutions(); c++) {
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

    static Map<String, long[]> oisrShapes(OisrVariantSpec spec, int scale) {
        return oisrShapes(spec.blocks(), spec.features(), spec.blockType(), scale);
    }
}

package org.oisrstream.model.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.StringTensorDict;
import org.bytedeco.pytorch.Tensor;
import org.oisrstream.model.weights.DType;
import org.oisrstream.model.weights.HostTensor;
import org.oisrstream.model.weights.StateDict;

/** Reads the golden fixtures written by src/test/python/make_golden.py (F32 safetensors) and compares outputs. */
final class Golden {

    private Golden() {
    }

    static StateDict read(String resource) {
        try (InputStream in = Golden.class.getResourceAsStream("/golden/" + resource)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource golden/" + resource);
            }
            ByteBuffer all = ByteBuffer.wrap(in.readAllBytes()).order(ByteOrder.LITTLE_ENDIAN);
            int headerLength = Math.toIntExact(all.getLong(0));
            JsonNode header = new ObjectMapper().readTree(new String(all.array(), 8, headerLength,
                    java.nio.charset.StandardCharsets.UTF_8));
            int dataStart = 8 + headerLength;
            Map<String, HostTensor> tensors = new LinkedHashMap<>();
            Map<String, String> metadata = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getKey().equals("__metadata__")) {
                    e.getValue().fields().forEachRemaining(m -> metadata.put(m.getKey(), m.getValue().asText()));
                    continue;
                }
                JsonNode shapeNode = e.getValue().get("shape");
                long[] shape = new long[shapeNode.size()];
                for (int i = 0; i < shape.length; i++) {
                    shape[i] = shapeNode.get(i).asLong();
                }
                int begin = e.getValue().get("data_offsets").get(0).asInt();
                int end = e.getValue().get("data_offsets").get(1).asInt();
                ByteBuffer data = all.duplicate().position(dataStart + begin).limit(dataStart + end).slice();
                tensors.put(e.getKey(), new HostTensor(DType.ofSafetensorsName(e.getValue().get("dtype").asText()),
                        shape, data));
            }
            return new StateDict(tensors, metadata);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The tensors whose names start with {@code prefix + "."}, with the prefix removed. */
    static Map<String, HostTensor> withPrefix(StateDict dict, String prefix) {
        Map<String, HostTensor> out = new LinkedHashMap<>();
        dict.tensors().forEach((k, v) -> {
            if (k.startsWith(prefix + ".")) {
                out.put(k.substring(prefix.length() + 1), v);
            }
        });
        return out;
    }

    /** Copies {@code values} into the module's parameters by name; every parameter must be given. */
    static void copyInto(Module module, Map<String, HostTensor> values) {
        StringTensorDict params = module.named_parameters(true);
        try (NoGradGuard noGrad = new NoGradGuard()) {
            for (long i = 0; i < params.size(); i++) {
                String name = params.get(i).key().getString();
                HostTensor v = values.get(name);
                if (v == null) {
                    throw new AssertionError("fixture lacks parameter " + name);
                }
                params.get(i).value().copy_(HostTensors.toTorch(v));
            }
        }
    }

    /** Asserts same shape and max |a - b| <= tolerance * max(1, max |expected|). */
    static void assertClose(HostTensor expected, Tensor actual, double tolerance) {
        HostTensor got = HostTensors.toHost(actual);
        assertArrayEquals(expected.shape(), got.shape(), "shape");
        float[] e = expected.toFloats();
        float[] a = got.toFloats();
        double maxAbs = 1;
        double maxDiff = 0;
        for (int i = 0; i < e.length; i++) {
            maxAbs = Math.max(maxAbs, Math.abs(e[i]));
            maxDiff = Math.max(maxDiff, Math.abs(e[i] - a[i]));
        }
        assertTrue(maxDiff <= tolerance * maxAbs, "max difference " + maxDiff + " exceeds " + tolerance * maxAbs);
    }
}

package org.oisrstream.model.net;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.oisrstream.model.weights.HostTensor;

/**
 * The strict check {@link OisrNet#load} runs before copying anything: every key present with the right shape and a
 * floating dtype, no key extra. Plain Java: works on host tensors and shapes, needs no LibTorch.
 */
public final class StateDictChecker {

    private StateDictChecker() {
    }

    /**
     * @param weights the state dict's tensors (without a DataParallel {@code module.} prefix)
     * @param expected the model's parameter names and shapes
     * @param model the architecture {@code expected} belongs to
     * @throws WeightsMismatchException saying which network the weights are for when that can be told from their
     *     shapes and differs from {@code model}, else naming every missing, unexpected or wrongly shaped key
     */
    public static void check(Map<String, HostTensor> weights, Map<String, long[]> expected, Architecture model) {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        weights.forEach((name, t) -> shapes.put(name, t.shape()));
        Optional<Architecture> theirs = StateDictArchitecture.detect(shapes);
        if (theirs.isPresent() && !theirs.get().equals(model)) {
            throw new WeightsMismatchException("weights are for " + theirs.get().describe() + ", model is "
                    + model.describe(), List.of());
        }
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, long[]> e : expected.entrySet()) {
            HostTensor given = weights.get(e.getKey());
            if (given == null) {
                problems.add("missing key " + e.getKey() + " (expected shape " + Arrays.toString(e.getValue()) + ")");
            } else if (!Arrays.equals(given.shape(), e.getValue())) {
                problems.add("wrong shape for " + e.getKey() + ": weights have " + given.shapeString()
                        + ", model expects " + Arrays.toString(e.getValue()));
            } else if (!given.dtype().isFloatingPoint()) {
                problems.add("key " + e.getKey() + " has non-float dtype " + given.dtype());
            }
        }
        for (Map.Entry<String, HostTensor> e : weights.entrySet()) {
            if (!expected.containsKey(e.getKey())) {
                problems.add("unexpected key " + e.getKey() + " (shape " + e.getValue().shapeString() + ")");
            }
        }
        if (!problems.isEmpty()) {
            throw new WeightsMismatchException("weights do not fit " + model.describe(), problems);
        }
    }
}

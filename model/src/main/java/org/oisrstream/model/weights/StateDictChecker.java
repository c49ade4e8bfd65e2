package org.oisrstream.model.weights;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** Checks that a state dict fits a model's parameters, reporting all problems at once. */
public final class StateDictChecker {

    /** How many names of each kind of problem the message lists. */
    static final int LISTED = 5;

    private StateDictChecker() {
    }

    /**
     * @param expectedShapes the model's parameter names and shapes, as the network defines them
     * @throws WeightsMismatchException naming, in one line: the architecture of both sides when both are OISR and
     *     differ ("weights are lf-s x2 but the model is lf-s x4"), then each shape mismatch with key and both shapes,
     *     then how many keys are missing and unexpected with the first few of each
     */
    public static void check(StateDict actual, Map<String, long[]> expectedShapes) {
        Map<String, long[]> actualShapes = actual.shapes();
        List<WeightsMismatchException.ShapeMismatch> mismatches = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, long[]> e : expectedShapes.entrySet()) {
            long[] have = actualShapes.get(e.getKey());
            if (have == null) {
                missing.add(e.getKey());
            } else if (!Arrays.equals(have, e.getValue())) {
                mismatches.add(new WeightsMismatchException.ShapeMismatch(e.getKey(), have, e.getValue()));
            }
        }
        List<String> unexpected = actualShapes.keySet().stream()
                .filter(k -> !expectedShapes.containsKey(k)).collect(Collectors.toList());
        if (mismatches.isEmpty() && missing.isEmpty() && unexpected.isEmpty()) {
            return;
        }
        List<String> parts = new ArrayList<>();
        architectureDifference(actualShapes, expectedShapes).ifPresent(parts::add);
        if (!mismatches.isEmpty()) {
            String listed = mismatches.stream().limit(LISTED).map(Object::toString).collect(Collectors.joining("; "));
            parts.add(mismatches.size() > LISTED
                    ? listed + "; and " + (mismatches.size() - LISTED) + " more shape mismatches"
                    : listed);
        }
        if (!missing.isEmpty()) {
            parts.add(count(missing.size(), "missing key") + " (in the model, not in the checkpoint): "
                    + firstFew(missing));
        }
        if (!unexpected.isEmpty()) {
            parts.add(count(unexpected.size(), "unexpected key") + " (in the checkpoint, not in the model): "
                    + firstFew(unexpected));
        }
        throw new WeightsMismatchException("weights do not fit the model: " + String.join("; ", parts),
                mismatches, missing, unexpected);
    }

    private static Optional<String> architectureDifference(Map<String, long[]> actual, Map<String, long[]> expected) {
        ArchitectureGuess model;
        try {
            model = ArchitectureGuess.of(expected);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        try {
            ArchitectureGuess weights = ArchitectureGuess.of(actual);
            return weights.equals(model) ? Optional.empty()
                    : Optional.of("weights are " + weights.describe() + " but the model is " + model.describe());
        } catch (IllegalArgumentException e) {
            return Optional.of("the model is " + model.describe() + " but the weights are not: " + e.getMessage());
        }
    }

    private static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    private static String firstFew(List<String> names) {
        String head = String.join(", ", names.subList(0, Math.min(LISTED, names.size())));
        return names.size() > LISTED ? head + ", ..." : head;
    }
}

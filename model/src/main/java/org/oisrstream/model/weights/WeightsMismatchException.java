package org.oisrstream.model.weights;

import java.util.Arrays;
import java.util.List;

/**
 * Weights that do not fit a model: every problem found, in one exception. The message is one line; the lists let
 * callers inspect the details.
 */
public class WeightsMismatchException extends IllegalArgumentException {

    /** A tensor present on both sides with different shapes. */
    public record ShapeMismatch(String key, long[] checkpointShape, long[] modelShape) {
        @Override
        public String toString() {
            return key + ": checkpoint has " + Arrays.toString(checkpointShape) + ", model expects "
                    + Arrays.toString(modelShape);
        }
    }

    private final List<ShapeMismatch> shapeMismatches;
    private final List<String> missingKeys;
    private final List<String> unexpectedKeys;

    public WeightsMismatchException(String message) {
        this(message, List.of(), List.of(), List.of());
    }

    public WeightsMismatchException(String message, List<ShapeMismatch> shapeMismatches, List<String> missingKeys,
                                    List<String> unexpectedKeys) {
        super(message);
        this.shapeMismatches = List.copyOf(shapeMismatches);
        this.missingKeys = List.copyOf(missingKeys);
        this.unexpectedKeys = List.copyOf(unexpectedKeys);
    }

    public List<ShapeMismatch> shapeMismatches() {
        return shapeMismatches;
    }

    /** Keys the model has and the checkpoint lacks. */
    public List<String> missingKeys() {
        return missingKeys;
    }

    /** Keys the checkpoint has and the model does not. */
    public List<String> unexpectedKeys() {
        return unexpectedKeys;
    }
}

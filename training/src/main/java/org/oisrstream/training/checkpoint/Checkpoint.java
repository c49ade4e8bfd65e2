package org.oisrstream.training.checkpoint;

import java.nio.file.Path;
import org.oisrstream.model.weights.StateDict;

/**
 * A verified checkpoint: the model weights, the Adam moments ({@code exp_avg/NAME}, {@code exp_avg_sq/NAME}) and
 * the training state, read from {@code directory}.
 */
public record Checkpoint(Path directory, StateDict model, StateDict optimizer, TrainingState state) {
}

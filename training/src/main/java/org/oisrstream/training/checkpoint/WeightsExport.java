package org.oisrstream.training.checkpoint;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.oisrstream.model.weights.DType;
import org.oisrstream.model.weights.Safetensors;
import org.oisrstream.model.weights.StateDict;

/**
 * A run's checkpoint as a servable weights file: the model tensors of the verified checkpoint, in the dtype asked
 * for, with their provenance as safetensors metadata (variant, scale and architecture from the network; network,
 * step, data, validation PSNRs and the best PSNR from training). The file is written atomically, so a served
 * {@code --weights} path never shows a half-written file.
 */
public final class WeightsExport {

    /** Metadata keys the trainer writes into every checkpoint's model file. */
    public static final String NETWORK = "network";
    public static final String STEP = "step";
    public static final String DATA = "data";
    public static final String VALIDATION = "validation";
    public static final String BEST_PSNR = "best_psnr";
    public static final String BEST_STEP = "best_step";
    public static final String CHECKPOINT = "checkpoint";

    /** What was exported from where. */
    public record Exported(Path file, Path checkpoint, long step, Map<String, String> metadata) {
    }

    private WeightsExport() {
    }

    /**
     * Writes the checkpoint {@code which} ({@code best} or {@code last}) of the run folder {@code run} to
     * {@code out}. Fails if the run has no such checkpoint or it does not verify.
     */
    public static Exported export(Path run, String which, Path out, DType dtype) throws IOException {
        String pointerFile = switch (which.toLowerCase(Locale.ROOT)) {
            case "best" -> CheckpointStore.BEST;
            case "last" -> CheckpointStore.LAST;
            default -> throw new IllegalArgumentException("--checkpoint must be best or last, got '" + which + "'");
        };
        CheckpointStore store = new CheckpointStore(run);
        CheckpointStore.Pointer pointer = store.pointer(pointerFile).orElseThrow(() -> new IllegalArgumentException(
                run + " has no " + which + " checkpoint (" + store.root().resolve(pointerFile) + " does not exist"
                        + ("best".equals(which) ? "; a run without --val has only a last one" : "") + ")"));
        Checkpoint checkpoint = CheckpointStore.load(store.root().resolve(pointer.checkpoint()));
        TrainingState state = checkpoint.state();
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put(NETWORK, state.model());
        meta.put(STEP, Long.toString(state.step()));
        if (state.bestPsnr() != null) {
            meta.put(BEST_PSNR, String.format(Locale.ROOT, "%.4f", state.bestPsnr()));
            meta.put(BEST_STEP, String.valueOf(state.bestStep()));
        }
        meta.put(CHECKPOINT, run.getFileName() + "/checkpoints/" + pointer.checkpoint());
        StateDict weights = checkpoint.model().withMetadata(meta);
        Safetensors.write(weights, out, dtype);
        return new Exported(out, checkpoint.directory(), state.step(), weights.metadata());
    }
}

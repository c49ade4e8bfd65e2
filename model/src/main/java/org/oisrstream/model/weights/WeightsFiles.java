package org.oisrstream.model.weights;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import net.razorvine.pickle.PickleException;

/**
 * Reads and writes OISR weights files. {@link #read} recognises the format by content: safetensors (native),
 * PyTorch zip checkpoints (torch.save since 1.6) and legacy PyTorch checkpoints (before 1.6, like the published
 * OISR weights). Checkpoints are unpickled by an allow-list unpickler that never runs or instantiates anything but
 * the few torch types a state dict of tensors needs.
 *
 * <p>Tensors keep their stored dtype (F32, F16, BF16, or integer types), except F64 which is converted to F32.
 * Every failure is a {@link WeightsFileException} whose message is one line naming the file and the problem.
 */
public final class WeightsFiles {

    private WeightsFiles() {
    }

    /** Reads any supported weights file; metadata {@code source_format} says which format it was. */
    public static StateDict read(Path file) throws IOException {
        if (!Files.exists(file)) {
            throw new WeightsFileException(file, "no such file");
        }
        if (!Files.isRegularFile(file)) {
            throw new WeightsFileException(file, "not a regular file");
        }
        WeightsFormat format = WeightsFormat.detect(file);
        try {
            return switch (format) {
                case SAFETENSORS -> {
                    StateDict weights = Safetensors.read(file);
                    yield weights.metadata().containsKey("source_format") ? weights
                            : weights.withMetadata(Map.of("source_format", format.label()));
                }
                case PYTORCH_ZIP -> ZipCheckpointReader.read(file).toStateDict();
                case PYTORCH_LEGACY -> LegacyCheckpointReader.read(file).toStateDict();
            };
        } catch (WeightsFileException | NoSuchFileException e) {
            throw e;
        } catch (UnpicklingRefusedException e) {
            throw new WeightsFileException(file, "unsafe or unsupported " + format.label() + " checkpoint: "
                    + e.getMessage(), e);
        } catch (PickleException e) {
            throw new WeightsFileException(file, "cannot read " + format.label() + " checkpoint: "
                    + oneLine(e.getMessage()), e);
        } catch (IllegalArgumentException e) {
            throw new WeightsFileException(file, oneLine(e.getMessage()), e);
        } catch (IOException e) {
            throw new WeightsFileException(file, "cannot read " + format.label() + " file: "
                    + oneLine(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
        }
    }

    /** The format of {@code file}, recognised by content. */
    public static WeightsFormat detect(Path file) throws IOException {
        return WeightsFormat.detect(file);
    }

    /**
     * Writes safetensors atomically; floating-point tensors stored as {@code dtype} (F32, F16 or BF16), metadata
     * into {@code __metadata__}.
     */
    public static void write(StateDict weights, Path file, DType dtype) throws IOException {
        Safetensors.write(weights, file, dtype);
    }

    private static String oneLine(String message) {
        return message == null ? "" : message.replaceAll("\\s*\\R\\s*", " ").strip();
    }
}

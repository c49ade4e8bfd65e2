package org.oisrstream.training.checkpoint;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.oisrstream.model.weights.DType;
import org.oisrstream.model.weights.Safetensors;
import org.oisrstream.model.weights.StateDict;

/**
 * Checkpoints of one run under {@code <run>/checkpoints}: each is a directory {@code step-NNNNNNNN} holding
 * {@code model.safetensors}, {@code optimizer.safetensors} and {@code state.json}; {@code last.json} and
 * {@code best.json} name the latest and the best (by validation PSNR) one.
 *
 * <p>Crash safety: a checkpoint is written into a temporary directory, every file and the directory are fsynced,
 * and only then is it renamed to its final name; the pointers are replaced by an fsynced temporary file and an
 * atomic rename. A kill at any moment therefore leaves the previous pointers naming complete checkpoints. Old
 * checkpoints other than the last and the best are deleted after the pointers moved on.
 */
public final class CheckpointStore {

    public static final String MODEL_FILE = "model.safetensors";
    public static final String OPTIMIZER_FILE = "optimizer.safetensors";
    public static final String STATE_FILE = "state.json";
    public static final String LAST = "last.json";
    public static final String BEST = "best.json";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** The content of {@code last.json} / {@code best.json}. */
    public record Pointer(String checkpoint, long step, Double psnr) {
    }

    private final Path root;

    public CheckpointStore(Path runDirectory) {
        this.root = runDirectory.resolve("checkpoints");
    }

    public Path root() {
        return root;
    }

    /** Writes a checkpoint and makes it the last one (and the best one if {@code best}). Returns its directory. */
    public Path save(StateDict model, StateDict optimizer, TrainingState state, boolean best) throws IOException {
        Files.createDirectories(root);
        String name = String.format("step-%08d", state.step());
        Path tmp = root.resolve(".tmp-" + name);
        deleteRecursively(tmp);
        Files.createDirectories(tmp);
        Safetensors.write(model, tmp.resolve(MODEL_FILE), DType.F32);
        Safetensors.write(optimizer, tmp.resolve(OPTIMIZER_FILE), DType.F32);
        Map<String, TrainingState.FileDigest> digests = new LinkedHashMap<>();
        for (String file : new String[] {MODEL_FILE, OPTIMIZER_FILE}) {
            fsync(tmp.resolve(file));
            digests.put(file, digest(tmp.resolve(file)));
        }
        Files.write(tmp.resolve(STATE_FILE), JSON.writeValueAsBytes(state.withFiles(digests)));
        fsync(tmp.resolve(STATE_FILE));
        fsyncDirectory(tmp);
        Path target = root.resolve(name);
        deleteRecursively(target);
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        fsyncDirectory(root);
        writePointer(LAST, new Pointer(name, state.step(), state.bestPsnr()));
        if (best) {
            writePointer(BEST, new Pointer(name, state.step(), state.bestPsnr()));
        }
        prune();
        return target;
    }

    public Optional<Pointer> pointer(String which) throws IOException {
        Path file = root.resolve(which);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(file.toFile(), Pointer.class));
        } catch (IOException e) {
            throw new CorruptCheckpointException(file + " is unreadable: " + e.getMessage(), e);
        }
    }

    /** The checkpoint {@code last.json} names, verified. */
    public Optional<Checkpoint> loadLast() throws IOException {
        Optional<Pointer> last = pointer(LAST);
        if (last.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(load(root.resolve(last.get().checkpoint())));
    }

    /**
     * Reads and verifies one checkpoint directory: the state must parse and be of this format, and each tensor file
     * must have the recorded size and SHA-256 and parse as safetensors. Anything else is a
     * {@link CorruptCheckpointException} naming the file.
     */
    public static Checkpoint load(Path directory) throws IOException {
        Path stateFile = directory.resolve(STATE_FILE);
        if (!Files.isRegularFile(stateFile)) {
            throw new CorruptCheckpointException("checkpoint " + directory + " is incomplete: no " + STATE_FILE);
        }
        TrainingState state;
        try {
            state = JSON.readValue(stateFile.toFile(), TrainingState.class);
        } catch (IOException e) {
            throw new CorruptCheckpointException("checkpoint state " + stateFile + " is unreadable: "
                    + oneLine(e.getMessage()), e);
        }
        if (!TrainingState.FORMAT.equals(state.format())) {
            throw new CorruptCheckpointException(stateFile + " has format " + state.format() + ", expected "
                    + TrainingState.FORMAT);
        }
        if (state.files() == null) {
            throw new CorruptCheckpointException(stateFile + " lists no tensor files");
        }
        for (String file : new String[] {MODEL_FILE, OPTIMIZER_FILE}) {
            Path path = directory.resolve(file);
            TrainingState.FileDigest expected = state.files().get(file);
            if (expected == null) {
                throw new CorruptCheckpointException(stateFile + " has no digest for " + file);
            }
            if (!Files.isRegularFile(path)) {
                throw new CorruptCheckpointException("checkpoint " + directory + " is incomplete: no " + file);
            }
            long size = Files.size(path);
            if (size != expected.bytes()) {
                throw new CorruptCheckpointException(path + " is truncated or damaged: " + size + " bytes, expected "
                        + expected.bytes());
            }
            if (!digest(path).sha256().equals(expected.sha256())) {
                throw new CorruptCheckpointException(path + " is corrupted: its SHA-256 does not match " + stateFile);
            }
        }
        StateDict model;
        StateDict optimizer;
        try {
            model = Safetensors.read(directory.resolve(MODEL_FILE));
            optimizer = Safetensors.read(directory.resolve(OPTIMIZER_FILE));
        } catch (IOException | RuntimeException e) {
            throw new CorruptCheckpointException("checkpoint " + directory + " is unreadable: " + oneLine(e.getMessage()), e);
        }
        return new Checkpoint(directory, model, optimizer, state);
    }

    private void writePointer(String which, Pointer pointer) throws IOException {
        Path tmp = root.resolve(which + ".tmp");
        Files.write(tmp, JSON.writeValueAsBytes(pointer));
        fsync(tmp);
        Files.move(tmp, root.resolve(which), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        fsyncDirectory(root);
    }

    /** Deletes checkpoint directories that neither pointer names, and leftovers of interrupted saves. */
    private void prune() throws IOException {
        Set<String> keep = new java.util.HashSet<>();
        pointer(LAST).ifPresent(p -> keep.add(p.checkpoint()));
        pointer(BEST).ifPresent(p -> keep.add(p.checkpoint()));
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root, Files::isDirectory)) {
            for (Path d : dirs) {
                String name = d.getFileName().toString();
                if ((name.startsWith("step-") || name.startsWith(".tmp-step-")) && !keep.contains(name)) {
                    deleteRecursively(d);
                }
            }
        }
    }

    static TrainingState.FileDigest digest(Path file) throws IOException {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            long bytes = 0;
            try (InputStream in = new DigestInputStream(Files.newInputStream(file), sha)) {
                byte[] buffer = new byte[1 << 16];
                int n;
                while ((n = in.read(buffer)) > 0) {
                    bytes += n;
                }
            }
            return new TrainingState.FileDigest(bytes, HexFormat.of().formatHex(sha.digest()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static void fsync(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
    }

    static void fsyncDirectory(Path dir) {
        // Linux allows fsync on a directory opened for reading; elsewhere this may fail and is only best effort.
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // best effort
        }
    }

    static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                try {
                    Files.delete(p);
                } catch (NoSuchFileException e) {
                    // already gone
                }
            }
        }
    }

    private static String oneLine(String message) {
        return message == null ? "" : message.replaceAll("\\s*\\R\\s*", " ").strip();
    }
}

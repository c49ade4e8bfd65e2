package org.oisrstream.model.weights;

import java.io.IOException;
import java.nio.file.Path;

/** A weights file that cannot be read or written; the message is one line naming the file and the problem. */
public class WeightsFileException extends IOException {

    private final Path file;

    public WeightsFileException(Path file, String problem) {
        super(file + ": " + problem);
        this.file = file;
    }

    public WeightsFileException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
    }

    public Path file() {
        return file;
    }
}

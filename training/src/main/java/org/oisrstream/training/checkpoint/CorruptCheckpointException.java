package org.oisrstream.training.checkpoint;

import java.io.IOException;

/** A checkpoint that is incomplete, truncated, corrupted or of another format; it is never loaded. */
public final class CorruptCheckpointException extends IOException {

    public CorruptCheckpointException(String message) {
        super(message);
    }

    public CorruptCheckpointException(String message, Throwable cause) {
        super(message, cause);
    }
}

package org.oisrstream.operators.media;

/**
 * A media source, chunk or output that cannot be read or written. The message is one line and names
 * what failed (the source, the chunk, the output file), so callers can show it as is or turn it into a
 * dead-letter record.
 */
public class MediaException extends RuntimeException {

    public MediaException(String message) {
        super(message);
    }

    public MediaException(String message, Throwable cause) {
        super(message, cause);
    }
}

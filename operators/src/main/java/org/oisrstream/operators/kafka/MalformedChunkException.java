package org.oisrstream.operators.kafka;

/** A Kafka record that is not a chunk record (missing or unreadable key or headers). */
public final class MalformedChunkException extends RuntimeException {

    public MalformedChunkException(String message) {
        super(message);
    }
}

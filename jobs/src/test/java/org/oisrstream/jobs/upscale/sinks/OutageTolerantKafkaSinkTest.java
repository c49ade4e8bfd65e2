package org.oisrstream.jobs.upscale.sinks;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.util.Collection;
import java.util.List;
import org.apache.flink.connector.kafka.sink.KafkaCommittable;
import org.apache.flink.connector.kafka.sink.KafkaWriterState;
import org.apache.flink.connector.kafka.sink.TwoPhaseCommittingStatefulSink.PrecommittingStatefulSinkWriter;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * The close path only: a writer whose close fails the way the connector's does with the broker down (the abort's
 * TimeoutException, wrapped) must not fail the close; any other failure still does. The end-to-end behaviour
 * (a TaskManager surviving an outage) is a chaos-run matter (docs/operations.md).
 */
class OutageTolerantKafkaSinkTest {

    @Test
    void anAbortTimeoutWhileClosingIsNotAFailure() {
        var writer = new OutageTolerantKafkaSink.Writer<>(closingWith(
                new KafkaException("closing failed", new TimeoutException("Timeout expired after 60000ms while awaiting EndTxn(false)"))));
        assertDoesNotThrow(writer::close);
    }

    @Test
    void otherFailuresWhileClosingStillFail() {
        KafkaException other = new KafkaException("something else");
        var writer = new OutageTolerantKafkaSink.Writer<>(closingWith(other));
        assertSame(other, assertThrows(KafkaException.class, writer::close));
    }

    private static PrecommittingStatefulSinkWriter<String, KafkaWriterState, KafkaCommittable> closingWith(Exception e) {
        return new PrecommittingStatefulSinkWriter<>() {
            @Override
            public void write(String element, Context context) {
            }

            @Override
            public void flush(boolean endOfInput) {
            }

            @Override
            public Collection<KafkaCommittable> prepareCommit() {
                return List.of();
            }

            @Override
            public List<KafkaWriterState> snapshotState(long checkpointId) throws IOException {
                return List.of();
            }

            @Override
            public void close() throws Exception {
                throw e;
            }
        };
    }
}

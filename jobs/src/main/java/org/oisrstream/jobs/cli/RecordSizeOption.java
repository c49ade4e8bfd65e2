package org.oisrstream.jobs.cli;

import org.oisrstream.jobs.kafka.ChunkTopics;
import picocli.CommandLine.Option;

/** {@code --max-record-bytes}: the one limit on a chunk record that producers, consumers and topics agree on. */
final class RecordSizeOption {

    @Option(names = "--max-record-bytes", defaultValue = "" + ChunkTopics.DEFAULT_MAX_RECORD_BYTES, paramLabel = "BYTES",
            description = "Largest chunk record, the same limit on every side: what ingest and the job produce at most"
                    + " (max.request.size), what assemble fetches, new topics' max.message.bytes (default: ${DEFAULT-VALUE}).")
    int maxRecordBytes;
}

package org.oisrstream.operators.kafka;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.oisrstream.operators.media.ChunkMetadata;
import org.oisrstream.operators.media.SegmenterOptions;
import org.oisrstream.operators.media.TestClips;
import org.oisrstream.operators.media.VideoSegmenter;

/**
 * Test material, like {@link TestClips}: chunk records as {@code oisr ingest} puts them on the input topic, cut
 * by the real {@link VideoSegmenter} from a generated clip, for tests that feed the job or its operator without
 * Kafka.
 */
public final class TestChunks {

    private TestChunks() {
    }

    /** Writes {@code spec} to {@code file} and cuts it into {@code chunkSeconds} chunks of stream {@code streamId}. */
    public static List<ChunkRecord> cut(Path file, TestClips.ClipSpec spec, double chunkSeconds, String streamId) {
        TestClips.Clip clip = TestClips.write(file, spec);
        List<ChunkRecord> chunks = new ArrayList<>();
        try (VideoSegmenter s = VideoSegmenter.open(clip.path().toString(),
                SegmenterOptions.defaults().withChunkSeconds(chunkSeconds))) {
            s.forEachRemaining(c -> chunks.add(ChunkRecord.of(ChunkMetadata.ofInput(streamId, c, s.info()), c.data())));
        }
        return chunks;
    }

    /**
     * A record of stream {@code streamId} whose headers are {@code genuine}'s and whose value is {@code payload}:
     * what a writer to the input topic can send that is not a chunk (e.g. {@code HostileChunks}).
     */
    public static ChunkRecord withPayload(ChunkRecord genuine, String streamId, byte[] payload) {
        ChunkMetadata m = genuine.metadata();
        return ChunkRecord.of(new ChunkMetadata(streamId, m.sequence(), m.last(), m.startPtsMicros(),
                m.durationMicros(), m.frameCount(), m.container(), m.width(), m.height(), m.sourceFrames()), payload);
    }
}

package org.oisrstream.operators.upscale;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.operators.async.AsyncWaitOperatorFactory;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.util.ExceptionUtils;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oisrstream.operators.infer.InferenceService;
import org.oisrstream.operators.infer.UpscalerSpec;
import org.oisrstream.operators.kafka.ChunkRecord;
import org.oisrstream.operators.kafka.TestChunks;
import org.oisrstream.operators.media.ChunkTranscoder;
import org.oisrstream.operators.media.EncoderSettings;
import org.oisrstream.operators.media.HostileChunks;
import org.oisrstream.operators.media.TestClips;

/**
 * The upscale operator's contract, chunk by chunk, inside Flink's own {@code AsyncWaitOperator} (ordered, as
 * the job runs it) on the operator test harness: real chunks, real codecs, the registry's nearest-neighbour
 * upscaler. What cannot be upscaled (not a chunk, too large once upscaled, too slow, out of memory) comes out
 * in its place as a dead letter with the input's metadata and payload and the reason; an {@link Error} that is
 * not the chunk's fault fails the task instead. Time only moves when the test moves the harness's clock.
 */
class UpscaleChunkFunctionTest {

    private static final TypeSerializer<ChunkRecord> SERIALIZER = TypeInformation.of(ChunkRecord.class)
            .createSerializer(new ExecutionConfig().getSerializerConfig());
    private static final long TIMEOUT_MS = 60_000;
    private static final int LARGE_RECORDS = 8 * 1024 * 1024;

    @TempDir
    static Path dir;

    private static ChunkRecord chunk;

    @BeforeAll
    static void cut() {
        List<ChunkRecord> chunks = TestChunks.cut(dir.resolve("clip.mkv"),
                TestClips.ClipSpec.of(64, 48, 10, 30).withAudio(false), 1, "clip");
        assertEquals(1, chunks.size());
        chunk = chunks.get(0);
        assertEquals(10, chunk.frameCount());
    }

    private static UpscaleChunkFunction function(int maxRecordBytes, ChunkProcessor processor) {
        return new UpscaleChunkFunction(new UpscaleSettings(UpscalerSpec.of("nearest", 2),
                InferenceService.Settings.defaults(), 2, 8, maxRecordBytes), processor);
    }

    private static MediaChunkProcessor media() {
        return new MediaChunkProcessor(EncoderSettings.defaults(), 4);
    }

    /**
     * The function in an ordered async operator with {@code chunks-in-flight} 2, opened. A task failure is recorded
     * (see {@link #assertNoTaskFailure}) instead of thrown on the worker thread, where it would leave the chunk
     * without a result.
     */
    private static OneInputStreamOperatorTestHarness<ChunkRecord, ChunkRecord> harness(UpscaleChunkFunction function)
            throws Exception {
        var harness = new OneInputStreamOperatorTestHarness<>(new AsyncWaitOperatorFactory<ChunkRecord, ChunkRecord>(
                function, TIMEOUT_MS, 2, AsyncDataStream.OutputMode.ORDERED), SERIALIZER);
        harness.getEnvironment().setExpectedExternalFailureCause(Throwable.class);
        harness.open();
        return harness;
    }

    /** Feeds {@code inputs}, waits until every one has a result (end of input) and returns what came out. */
    private static List<ChunkRecord> run(UpscaleChunkFunction function, ChunkRecord... inputs) throws Exception {
        try (var harness = harness(function)) {
            for (ChunkRecord input : inputs) {
                harness.processElement(input, 0);
            }
            harness.endInput();
            assertNoTaskFailure(harness);
            return harness.extractOutputValues();
        }
    }

    private static void assertNoTaskFailure(OneInputStreamOperatorTestHarness<ChunkRecord, ChunkRecord> harness) {
        assertEquals(Optional.empty(), harness.getEnvironment().getActualExternalFailureCause());
    }

    private static void assertDeadLetter(ChunkRecord input, ChunkRecord out, String reason) {
        assertTrue(out.failed(), out.toString());
        assertTrue(out.error().contains(reason), out.error());
        assertFalse(out.error().contains("\n"), out.error());
        assertEquals(input.metadata(), out.metadata(), "the input's headers, for the dead-letter topic");
        assertArrayEquals(input.payload(), out.payload(), "the input's payload, to inspect or replay");
    }

    private static void assertUpscaled(ChunkRecord input, ChunkRecord out) {
        assertNull(out.error(), out.toString());
        assertEquals(input.streamId(), out.streamId());
        assertEquals(input.sequence(), out.sequence());
        assertEquals(input.frameCount(), out.frameCount());
        assertEquals(ChunkTranscoder.OUTPUT_FORMAT, out.metadata().container());
        assertEquals(2 * input.metadata().width(), out.metadata().width());
        assertEquals(2 * input.metadata().height(), out.metadata().height());
    }

    @Test
    void aChunkThatIsNotMediaIsDeadLetteredInItsPlaceAndTheNextOneIsUpscaled() throws Exception {
        ChunkRecord notMedia = TestChunks.withPayload(chunk, "not-media",
                HostileChunks.hls("http://127.0.0.1:9/segment.ts").getBytes(StandardCharsets.UTF_8));
        List<ChunkRecord> out = run(function(LARGE_RECORDS, media()), notMedia, chunk);
        assertEquals(2, out.size(), out.toString());
        assertDeadLetter(notMedia, out.get(0), "not a readable Matroska chunk");
        assertUpscaled(chunk, out.get(1));
    }

    @Test
    void anUpscaledChunkOverTheRecordLimitIsDeadLetteredWithItsSize() throws Exception {
        int upscaledBytes = run(function(LARGE_RECORDS, media()), chunk).get(0).payload().length;
        int maxRecordBytes = UpscaleChunkFunction.RECORD_OVERHEAD_BYTES + upscaledBytes / 2;
        List<ChunkRecord> out = run(function(maxRecordBytes, media()), chunk);
        assertEquals(1, out.size(), out.toString());
        assertDeadLetter(chunk, out.get(0), "upscaled chunk is " + upscaledBytes + " bytes, more than the "
                + maxRecordBytes + "-byte record limit");
    }

    @Test
    void anAlreadyFailedRecordPassesThroughUnchanged() throws Exception {
        ChunkRecord failed = chunk.withError("not a chunk record: missing header oisr.seq");
        assertEquals(List.of(failed), run(function(LARGE_RECORDS, media()), failed));
    }

    /** Holds the chunks of stream "slow" until released; upscales the others. */
    private static final CountDownLatch RELEASE_SLOW = new CountDownLatch(1);

    private static final class SlowStream implements ChunkProcessor {
        private final MediaChunkProcessor media = media();

        @Override
        public ChunkRecord process(ChunkRecord input, FrameUpscaler frames) throws Exception {
            if (input.streamId().equals("slow")) {
                RELEASE_SLOW.await(TIMEOUT_MS, TimeUnit.MILLISECONDS);
            }
            return media.process(input, frames);
        }
    }

    @Test
    void aChunkStillRunningAtTheTimeoutIsDeadLetteredAndTheOperatorGoesOn() throws Exception {
        ChunkRecord slow = TestChunks.withPayload(chunk, "slow", chunk.payload());
        List<ChunkRecord> out;
        try (var harness = harness(function(LARGE_RECORDS, new SlowStream()))) {
            harness.processElement(slow, 0);
            harness.setProcessingTime(TIMEOUT_MS); // the slow chunk's timer fires; its worker is still waiting
            harness.processElement(chunk, 0);
            harness.endInput();
            out = harness.extractOutputValues();
            assertNoTaskFailure(harness);
        } finally {
            RELEASE_SLOW.countDown();
        }
        assertEquals(2, out.size(), out.toString());
        assertDeadLetter(slow, out.get(0), "timed out: upscaling took longer than the operator timeout");
        assertUpscaled(chunk, out.get(1));
    }

    /** Throws {@code error} for stream "error", upscales the others. */
    private record Throwing(Error error) implements ChunkProcessor {
        @Override
        public ChunkRecord process(ChunkRecord input, FrameUpscaler frames) {
            if (input.streamId().equals("error")) {
                throw error;
            }
            return media().process(input, frames);
        }
    }

    @Test
    void runningOutOfMemoryIsTheChunksFault() throws Exception {
        ChunkRecord huge = TestChunks.withPayload(chunk, "error", chunk.payload());
        List<ChunkRecord> out = run(function(LARGE_RECORDS, new Throwing(new OutOfMemoryError("Java heap space"))),
                huge, chunk);
        assertEquals(2, out.size(), out.toString());
        assertDeadLetter(huge, out.get(0), "OutOfMemoryError: Java heap space");
        assertUpscaled(chunk, out.get(1));
    }

    @Test
    void anyOtherErrorFailsTheTaskInsteadOfDeadLetteringTheChunk() throws Exception {
        ChunkRecord broken = TestChunks.withPayload(chunk, "error", chunk.payload());
        UnsatisfiedLinkError error = new UnsatisfiedLinkError("no jniopenh264 in java.library.path");
        try (var harness = harness(function(LARGE_RECORDS, new Throwing(error)))) {
            harness.processElement(broken, 0);
            harness.endInput();
            assertEquals(List.of(), harness.extractOutputValues(), "no dead letter for it");
            Throwable cause = harness.getEnvironment().getActualExternalFailureCause().orElseThrow();
            assertTrue(ExceptionUtils.findThrowable(cause, UnsatisfiedLinkError.class).isPresent(), cause.toString());
        }
    }
}

package org.oisrstream.jobs.upscale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.oisrstream.operators.infer.InferenceService;
import org.oisrstream.operators.infer.UpscalerSpec;
import org.oisrstream.operators.media.EncoderSettings;

class UpscaleJobParametersTest {

    @Test
    void programArgumentsRoundTrip() {
        UpscaleJobParameters params = UpscaleJobParameters.builder()
                .bootstrapServers("kafka-1:9092,kafka-2:9092")
                .inputTopic("in").outputTopic("out").deadLetterTopic("dead")
                .groupId("g").transactionalIdPrefix("tx")
                .checkpointInterval(Duration.ofSeconds(7)).checkpointDir("s3://bucket/cp")
                .parallelism(6)
                .upscaler(new UpscalerSpec("rk3", 3, "/models/rk3-x3.safetensors", "cuda:1", "fp16", 256))
                .batching(new InferenceService.Settings(24, Duration.ofMillis(15)))
                .encoder(EncoderSettings.builder().codec("h264_nvenc").quality(23).preset("p4").build())
                .chunksInFlight(5).framesInFlight(40).maxRecordBytes(100_000_000)
                .chunkTimeout(Duration.ofMinutes(3)).transactionTimeout(Duration.ofMinutes(9))
                .build();
        UpscaleJobParameters back = UpscaleJobParameters.fromArgs(params.toArgs().toArray(String[]::new));
        assertEquals(params, back);
    }

    @Test
    void unknownOrMissingArgumentsAreNamed() {
        var unknown = assertThrows(IllegalArgumentException.class, () -> UpscaleJobParameters.fromArgs(
                new String[] {"--bootstrap-servers", "k:9092", "--modle", "lf-s"}));
        assertTrue(unknown.getMessage().startsWith("unknown job parameter(s) [modle]"), unknown.getMessage());
        var missing = assertThrows(IllegalArgumentException.class,
                () -> UpscaleJobParameters.fromArgs(new String[] {"--model", "lf-s"}));
        assertEquals("--bootstrap-servers is required", missing.getMessage());
        var zero = assertThrows(IllegalArgumentException.class, () -> UpscaleJobParameters.fromArgs(
                new String[] {"--bootstrap-servers", "k:9092", "--checkpoint-interval-ms", "0"}));
        assertTrue(zero.getMessage().startsWith("checkpoint interval must be positive"), zero.getMessage());
    }
}

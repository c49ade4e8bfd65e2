package org.oisrstream.training.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** state.json of runs started before {@link TrainingState.Builder} existed still reads, and the builder writes it. */
class TrainingStateFormatTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A state.json as the trainer wrote it with the 16-argument constructor (after a validation). */
    private static final String VALIDATED = """
            {
              "format" : "oisr-train-checkpoint/1",
              "model" : "lf-s x3",
              "scale" : 3,
              "step" : 1500,
              "seed" : 1,
              "adamSteps" : 1500,
              "learningRate" : 1.0E-4,
              "schedule" : {
                "base" : 1.0E-4,
                "decayEvery" : 250000,
                "gamma" : 0.5
              },
              "precision" : "bf16",
              "lossScale" : 65536.0,
              "lossScaleGoodSteps" : 0,
              "bestPsnr" : 33.8125,
              "bestStep" : 1000,
              "validation" : {
                "Set5" : 33.75,
                "B100" : 28.5
              },
              "files" : {
                "model.safetensors" : {
                  "bytes" : 1234,
                  "sha256" : "00ff"
                },
                "optimizer.safetensors" : {
                  "bytes" : 2468,
                  "sha256" : "ff00"
                }
              }
            }
            """;

    /** The same before the first validation: no best yet, no validation results. */
    private static final String UNVALIDATED = """
            {"format":"oisr-train-checkpoint/1","model":"LF B=1 F=8 x2","scale":2,"step":2,"seed":3,"adamSteps":2,
             "learningRate":0.001,"schedule":{"base":0.001,"decayEvery":250000,"gamma":0.5},"precision":"fp32",
             "lossScale":65536.0,"lossScaleGoodSteps":0,"bestPsnr":null,"bestStep":null,"validation":{},
             "files":{"model.safetensors":{"bytes":10,"sha256":"ab"},"optimizer.safetensors":{"bytes":20,"sha256":"cd"}}}
            """;

    @Test
    void anEarlierStateReadsWithEveryField() throws IOException {
        TrainingState state = JSON.readValue(VALIDATED, TrainingState.class);
        assertEquals(TrainingState.FORMAT, state.format());
        assertEquals("lf-s x3", state.model());
        assertEquals(3, state.scale());
        assertEquals(1500, state.step());
        assertEquals(1, state.seed());
        assertEquals(1500, state.adamSteps());
        assertEquals(1e-4, state.learningRate());
        assertEquals(new TrainingState.Schedule(1e-4, 250_000, 0.5), state.schedule());
        assertEquals("bf16", state.precision());
        assertEquals(65536.0, state.lossScale());
        assertEquals(0, state.lossScaleGoodSteps());
        assertEquals(33.8125, state.bestPsnr());
        assertEquals(1000L, state.bestStep());
        assertEquals(Map.of("Set5", 33.75, "B100", 28.5), state.validation());
        assertEquals(new TrainingState.FileDigest(2468, "ff00"), state.files().get("optimizer.safetensors"));
    }

    @Test
    void theBuilderWritesTheEarlierDocument() throws IOException {
        Map<String, Double> validation = new LinkedHashMap<>();
        validation.put("Set5", 33.75);
        validation.put("B100", 28.5);
        TrainingState validated = TrainingState.builder()
                .network("lf-s x3", 3)
                .progress(1500, 1)
                .adamSteps(1500)
                .learningRate(1e-4, new TrainingState.Schedule(1e-4, 250_000, 0.5))
                .precision("bf16")
                .lossScale(65536, 0)
                .best(33.8125, 1000L)
                .validation(validation)
                .build();
        assertNull(validated.files(), "the store adds the digests");
        TrainingState earlier = JSON.readValue(VALIDATED, TrainingState.class);
        assertEquals(JSON.readTree(VALIDATED),
                JSON.readTree(JSON.writeValueAsBytes(validated.withFiles(earlier.files()))));

        TrainingState unvalidated = TrainingState.builder()
                .network("LF B=1 F=8 x2", 2)
                .progress(2, 3)
                .adamSteps(2)
                .learningRate(1e-3, new TrainingState.Schedule(1e-3, 250_000, 0.5))
                .precision("fp32")
                .lossScale(65536, 0)
                .build();
        TrainingState read = JSON.readValue(UNVALIDATED, TrainingState.class);
        assertEquals(JSON.readTree(UNVALIDATED),
                JSON.readTree(JSON.writeValueAsBytes(unvalidated.withFiles(read.files()))));
        assertEquals(read, unvalidated.withFiles(read.files()));
    }
}

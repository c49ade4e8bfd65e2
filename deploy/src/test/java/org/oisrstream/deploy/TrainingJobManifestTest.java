package org.oisrstream.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.oisrstream.training.TrainMain;
import org.yaml.snakeyaml.Yaml;

/** Reads deploy/k8s/training-job.yaml and checks what the training docs and the preemption story rely on. */
class TrainingJobManifestTest {

    private static final Path MANIFEST = Path.of("k8s", "training-job.yaml");
    private static final Path DOCKERFILE = Path.of("docker", "Dockerfile");

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object o) {
        return (List<Object>) o;
    }

    private static Map<String, Object> load(Path file) throws IOException {
        try (Reader in = Files.newBufferedReader(file)) {
            return map(new Yaml().load(in));
        }
    }

    @Test
    void aGpuJobRunsOisrTrainResumablyWithDataReadOnlyAndRunsOnAClaim() throws IOException {
        Map<String, Object> job = load(MANIFEST);
        assertEquals("batch/v1", job.get("apiVersion"));
        assertEquals("Job", job.get("kind"));
        Map<String, Object> spec = map(job.get("spec"));
        Map<String, Object> pod = map(map(spec.get("template")).get("spec"));
        List<Object> containers = list(pod.get("containers"));
        assertEquals(1, containers.size());
        Map<String, Object> train = map(containers.get(0));

        String image = (String) train.get("image");
        String dockerfile = Files.readString(DOCKERFILE);
        assertTrue(image.endsWith("-gpu"), "the GPU image: " + image);
        assertTrue(dockerfile.contains("/opt/oisr/bin/oisr"), "the image installs the oisr launcher");
        assertTrue(Files.isExecutable(Path.of("docker", "oisr")), "docker/oisr is executable");
        assertEquals(List.of("/opt/oisr/bin/oisr"), train.get("command"));
        List<Object> args = list(train.get("args"));
        assertEquals("train", args.get(0));
        assertEquals("auto", args.get(args.indexOf("--resume") + 1), "a restarted pod continues the run");
        assertEquals("cuda", args.get(args.indexOf("--device") + 1));

        Map<String, Object> limits = map(map(train.get("resources")).get("limits"));
        assertEquals(1, limits.get("nvidia.com/gpu"));

        Map<String, String> mounts = new java.util.HashMap<>();
        for (Object m : list(train.get("volumeMounts"))) {
            mounts.put((String) map(m).get("name"), (String) map(m).get("mountPath"));
            if (map(m).get("name").equals("data")) {
                assertEquals(Boolean.TRUE, map(m).get("readOnly"), "training data is mounted read-only");
            }
        }
        assertTrue(((String) args.get(args.indexOf("--data") + 1)).startsWith(mounts.get("data") + "/"));
        assertTrue(((String) args.get(args.indexOf("--out") + 1)).startsWith(mounts.get("runs") + "/"));
        Map<String, Map<String, Object>> volumes = new java.util.HashMap<>();
        for (Object v : list(pod.get("volumes"))) {
            volumes.put((String) map(v).get("name"), map(v));
        }
        assertTrue(volumes.get("runs").containsKey("persistentVolumeClaim"), "checkpoints outlive the pod");
        assertTrue(volumes.containsKey("data"));

        assertEquals("Never", pod.get("restartPolicy"), "podFailurePolicy needs restartPolicy Never");
        assertTrue((Integer) pod.get("terminationGracePeriodSeconds") >= 60, "time to write a checkpoint");
        assertTrue((Integer) spec.get("backoffLimit") >= 1);
        List<Object> rules = list(map(spec.get("podFailurePolicy")).get("rules"));
        assertTrue(rules.stream().map(r -> map(r)).anyMatch(r -> r.get("action").equals("Ignore")
                && String.valueOf(r.get("onPodConditions")).contains("DisruptionTarget")));
        assertTrue(rules.stream().map(r -> map(r)).anyMatch(r -> r.get("action").equals("Ignore")
                && r.containsKey("onExitCodes")
                && list(map(r.get("onExitCodes")).get("values")).contains(TrainMain.EXIT_INTERRUPTED)),
                "the exit after SIGTERM (checkpoint written) is retried without counting as a failure");
    }

    @Test
    void theStreamingJobServesWeightsFromItsReadOnlyWeightsVolume() throws IOException {
        Map<String, Object> deployment = load(Path.of("k8s", "flink-deployment.yaml"));
        Map<String, Object> spec = map(deployment.get("spec"));
        List<Object> args = list(map(spec.get("job")).get("args"));
        String weights = (String) args.get(args.indexOf("--weights") + 1);
        Map<String, Object> pod = map(map(spec.get("podTemplate")).get("spec"));
        Map<String, Object> container = map(list(pod.get("containers")).get(0));
        assertEquals("flink-main-container", container.get("name"));
        Map<String, Object> mount = map(list(container.get("volumeMounts")).stream()
                .filter(m -> map(m).get("name").equals("weights")).findFirst().orElseThrow());
        assertEquals(Boolean.TRUE, mount.get("readOnly"));
        assertTrue(weights.startsWith(mount.get("mountPath") + "/") && weights.endsWith(".safetensors"), weights);
        assertTrue(list(pod.get("volumes")).stream().anyMatch(v -> map(v).get("name").equals("weights")));
    }
}

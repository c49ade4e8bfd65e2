package org.oisrstream.model.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** The read-only {@code ../shared} folder that CI puts beside the checkout; tests that need it skip without it. */
public final class SharedData {

    private SharedData() {
    }

    /** {@code <oisr.shared>/datasets/benchmark/<set>}, or a skipped test when it is absent. */
    public static Path benchmark(String set) {
        String shared = System.getProperty("oisr.shared");
        assumeTrue(shared != null && !shared.isBlank(),
                "system property oisr.shared is not set: skipping the test that needs the benchmark sets");
        Path dir = Path.of(shared, "datasets", "benchmark", set);
        assumeTrue(Files.isDirectory(dir), "benchmark set " + dir + " is absent: skipping");
        return dir;
    }
}

package org.oisrstream.training;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code oisr train} ({@link TrainMain}) as a real child JVM on the test classpath, output to a file. */
final class TrainProcess {

    private TrainProcess() {
    }

    static Process start(Path output, List<String> args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx1g");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(TrainMain.class.getName());
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()));
        // One OpenMP thread, as the surefire configuration gives this JVM: losses are then bit-reproducible.
        builder.environment().put("OMP_NUM_THREADS", "1");
        return builder.start();
    }
}

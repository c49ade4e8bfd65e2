package org.oisrstream.training.distributed;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code oisr train --local-replicas N}: starts the N processes of a data-parallel run on this node (one per device,
 * like torchrun) as child JVMs of this one, and stands in for them as one program: a stop request (SIGTERM) is
 * forwarded to every replica, a replica that fails takes the others down, and the exit code is theirs (0 when all
 * finished, the interrupted code when they stopped on a signal, else the first failure's).
 */
public final class ReplicaLauncher {

    private static final Logger LOG = LoggerFactory.getLogger(ReplicaLauncher.class);
    private static final String OPTION = "--local-replicas";

    private ReplicaLauncher() {
    }

    /**
     * Runs {@code mainClass} once per replica with {@code args} (this process's own arguments) minus
     * {@code --local-replicas}, plus each replica's rank, device and the store port; blocks until all have exited.
     *
     * @param device        cpu (every replica on the CPU, for tests) or cuda (replica r on cuda:r)
     * @param stopRequested polled; when it turns true, every replica gets SIGTERM
     * @param interrupted   the exit code a replica uses after a stop request
     */
    public static int run(Class<?> mainClass, List<String> args, int replicas, String device,
                          BooleanSupplier stopRequested, int interrupted) throws IOException, InterruptedException {
        if (!device.equals("cpu") && !device.equals("cuda")) {
            throw new IllegalArgumentException(OPTION + " gives each replica its own device: use --device cuda (replica"
                    + " r runs on cuda:r) or cpu, not " + device);
        }
        int port = freeLoopbackPort();
        List<Process> processes = new ArrayList<>();
        for (int rank = 0; rank < replicas; rank++) {
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
            command.add("-cp");
            command.add(System.getProperty("java.class.path"));
            command.add(mainClass.getName());
            command.addAll(withoutOptions(args, OPTION, "--device", "--world-size", "--rank", "--dist-port"));
            command.addAll(List.of("--device", device.equals("cpu") ? "cpu" : "cuda:" + rank, "--world-size",
                    Integer.toString(replicas), "--rank", Integer.toString(rank), "--dist-port", Integer.toString(port)));
            processes.add(new ProcessBuilder(command).inheritIO().start());
        }
        LOG.info("started {} replicas (pids {}), rendezvous on 127.0.0.1:{}", replicas,
                processes.stream().map(Process::pid).toList(), port);
        boolean stopping = false;
        Integer failure = null;
        while (processes.stream().anyMatch(Process::isAlive)) {
            if (!stopping && stopRequested.getAsBoolean()) {
                stopping = true;
                processes.forEach(Process::destroy);
            }
            for (Process p : processes) {
                if (!p.isAlive() && p.exitValue() != 0 && p.exitValue() != interrupted && failure == null) {
                    failure = p.exitValue();
                    LOG.warn("replica pid {} failed with exit code {}; stopping the others", p.pid(), failure);
                    processes.stream().filter(Process::isAlive).forEach(Process::destroy);
                }
            }
            Thread.sleep(100);
        }
        if (failure != null) {
            return failure;
        }
        return processes.stream().anyMatch(p -> p.exitValue() == interrupted) ? interrupted : 0;
    }

    /** {@code args} without the given options and their values (as {@code --opt value} or {@code --opt=value}). */
    static List<String> withoutOptions(List<String> args, String... options) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            boolean dropped = false;
            for (String o : options) {
                if (a.equals(o)) {
                    i++; // and its value
                    dropped = true;
                    break;
                }
                if (a.startsWith(o + "=")) {
                    dropped = true;
                    break;
                }
            }
            if (!dropped) {
                out.add(a);
            }
        }
        return out;
    }

    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }
}

package org.oisrstream.training;

import java.util.concurrent.Callable;
import org.oisrstream.model.util.ErrorMessages;
import org.oisrstream.training.distributed.ReplicaLauncher;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * The training job: {@code oisr train} in the CLI, and its own program on a GPU node
 * ({@code java -cp ... org.oisrstream.training.TrainMain --help}).
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train an OISR network (paper recipe by default): 48x48 patches, batch 16, L1, Adam, lr 1e-4"
                + " halved every 250 epochs. Continues the run in --out if it has a checkpoint; keeps the last and"
                + " the best checkpoint. SIGTERM/SIGINT: checkpoint, then exit " + TrainMain.EXIT_INTERRUPTED + ".",
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:the run reached its last iteration",
                "1:error (bad data, corrupt checkpoint, ...)",
                "2:bad options",
                "75:stopped by SIGTERM/SIGINT after writing a checkpoint; start again to continue"})
public final class TrainMain implements Callable<Integer> {

    /**
     * Exit code after SIGTERM/SIGINT once the checkpoint is written: sysexits' EX_TEMPFAIL ("try again later"),
     * distinct from success (which would make a Kubernetes Job complete) and from errors (which should fail it).
     */
    public static final int EXIT_INTERRUPTED = 75;

    @Mixin
    TrainOptions options;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        TrainConfig config;
        try {
            config = options.toConfig();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        if (options.localReplicas > 1) {
            if (config.replicas().isPresent()) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "--local-replicas starts the ranks itself; leave out --world-size and --rank");
            }
            try (StopSignals stop = StopSignals.install()) {
                return ReplicaLauncher.run(TrainMain.class, spec.commandLine().getParseResult().originalArgs(),
                        options.localReplicas, options.replicaDevice(), stop::requested, EXIT_INTERRUPTED);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
            }
        }
        TrainSummary summary = Trainer.run(config);
        spec.commandLine().getOut().println(SummaryText.of(summary));
        spec.commandLine().getOut().flush();
        return summary.interrupted() ? EXIT_INTERRUPTED : 0;
    }

    public static void main(String[] args) {
        CommandLine cli = new CommandLine(new TrainMain()).setCommandName("oisr-train");
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            commandLine.getErr().println("oisr-train: " + ErrorMessages.oneLine(ex));
            if (Boolean.getBoolean("oisr.debug")) {
                ex.printStackTrace(commandLine.getErr());
            }
            return 1;
        });
        cli.setParameterExceptionHandler((ex, params) -> {
            ex.getCommandLine().getErr().println("oisr-train: " + ErrorMessages.oneLine(ex) + " (see --help)");
            return 2;
        });
        System.exit(cli.execute(args));
    }
}

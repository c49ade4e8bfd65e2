package org.oisrstream.training;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** The training job as its own program, for a GPU node: {@code java -cp ... org.oisrstream.training.TrainMain --help}. */
@Command(name = "oisr-train", mixinStandardHelpOptions = true,
        description = "Trains an OISR network (the paper's recipe by default); resumable, validates and keeps the best weights.")
public final class TrainMain implements Callable<Integer> {

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
        TrainSummary summary = Trainer.run(config);
        spec.commandLine().getOut().println(SummaryText.of(summary));
        return 0;
    }

    public static void main(String[] args) {
        CommandLine cli = new CommandLine(new TrainMain());
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            commandLine.getErr().println("oisr-train: " + SummaryText.oneLine(ex));
            if (Boolean.getBoolean("oisr.debug")) {
                ex.printStackTrace(commandLine.getErr());
            }
            return 1;
        });
        cli.setParameterExceptionHandler((ex, params) -> {
            ex.getCommandLine().getErr().println("oisr-train: " + SummaryText.oneLine(ex) + " (see --help)");
            return 2;
        });
        System.exit(cli.execute(args));
    }
}

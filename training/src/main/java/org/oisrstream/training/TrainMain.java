package org.oisrstream.training;

import java.util.concurrent.Callable;
import org.oisrstream.model.util.ErrorMessages;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * The training job: {@code oisr train} in the CLI, and its own program on a GPU node
 * ({@code java -cp ... org.oisrstream.training.TrainMain --help}).
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train an OISR network (paper recipe by default): 48x48 patches, batch 16, L1, Adam, lr 1e-4"
                + " halved every 250 epochs. Resumable with --resume; keeps the last and the best checkpoint.")
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
        spec.commandLine().getOut().flush();
        return 0;
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

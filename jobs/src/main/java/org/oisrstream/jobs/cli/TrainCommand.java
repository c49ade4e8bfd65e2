package org.oisrstream.jobs.cli;

import java.util.concurrent.Callable;
import org.oisrstream.training.SummaryText;
import org.oisrstream.training.TrainConfig;
import org.oisrstream.training.TrainOptions;
import org.oisrstream.training.TrainSummary;
import org.oisrstream.training.Trainer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code oisr train}: trains an OISR network (the batch training job of the training module). */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train an OISR network (paper recipe by default): 48x48 patches, batch 16, L1, Adam, lr 1e-4"
                + " halved every 250 epochs. Resumable with --resume; keeps the last and the best checkpoint.")
public final class TrainCommand implements Callable<Integer> {

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
}

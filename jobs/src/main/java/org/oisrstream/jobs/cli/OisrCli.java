package org.oisrstream.jobs.cli;

import java.io.PrintWriter;
import org.oisrstream.model.util.ErrorMessages;
import org.oisrstream.training.TrainMain;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code ./oisr} command line: one subcommand per tool. */
@Command(name = "oisr",
        mixinStandardHelpOptions = true,
        versionProvider = OisrCli.Version.class,
        description = "Super-resolution of images and video with the OISR networks (CVPR 2019).",
        subcommands = {
                CommandLine.HelpCommand.class,
                UpscaleCommand.class,
                IngestCommand.class,
                JobCommand.class,
                AssembleCommand.class,
                ServeCommand.class,
                KafkaCommand.class,
                TopicsCommand.class,
                InfoCommand.class,
                ImageCommand.class,
                BenchCommand.class,
                EvalCommand.class,
                ConvertCommand.class,
                TrainMain.class,
                ExportCommand.class,
        })
public final class OisrCli implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the CLI and returns the exit code; errors are one line on stderr, never a stack trace. */
    public static int execute(String... args) {
        CommandLine cli = new CommandLine(new OisrCli());
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            err.println("oisr " + commandLine.getCommandName() + ": " + oneLine(ex));
            err.flush();
            if (Boolean.getBoolean("oisr.debug")) {
                ex.printStackTrace(err);
            }
            return 1;
        });
        cli.setParameterExceptionHandler((ex, params) -> {
            PrintWriter err = ex.getCommandLine().getErr();
            err.println("oisr " + ex.getCommandLine().getCommandName() + ": " + oneLine(ex)
                    + " (see 'oisr " + ex.getCommandLine().getCommandName() + " --help')");
            err.flush();
            return 2;
        });
        return cli.execute(args);
    }

    static String oneLine(Throwable ex) {
        return ErrorMessages.oneLine(ex);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = OisrCli.class.getPackage().getImplementationVersion();
            return new String[] {"oisr-stream " + (v == null ? "(development build)" : v)};
        }
    }
}

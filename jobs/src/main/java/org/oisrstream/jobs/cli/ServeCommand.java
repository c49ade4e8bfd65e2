package org.oisrstream.jobs.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.oisrstream.jobs.live.LiveServer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code oisr serve}: the before/after viewer for an HLS folder written by {@code --hls}. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Serve an HLS folder written by 'oisr upscale --hls' or 'oisr assemble --hls' and a page that"
                + " plays the source and the upscaled stream in sync, side by side and split, until Ctrl-C.")
public final class ServeCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "The --hls folder.")
    Path dir;

    @Option(names = "--port", defaultValue = "8080", paramLabel = "PORT", description = "Port (0: any free one; default: ${DEFAULT-VALUE}).")
    int port;

    @Mixin
    BindOption bind;

    @Override
    public Integer call() throws Exception {
        if (!Files.isDirectory(dir)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "folder " + dir + " does not exist");
        }
        LiveServer server = bind.serve(spec.commandLine(), dir, port);
        BindOption.serveUntilInterrupted(spec.commandLine(), server);
        return 0;
    }
}

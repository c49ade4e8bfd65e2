package org.oisrstream.jobs.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.oisrstream.jobs.live.LiveServer;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code --serve} and {@code --bind}: the viewer for a command's {@code --hls} folder ({@code upscale}, {@code assemble}). */
final class ViewerOptions {

    @Option(names = "--serve", paramLabel = "PORT",
            description = "With --hls: serve the folder and a before/after viewer page on this port (0: any free port),"
                    + " until Ctrl-C (also after the run).")
    Integer serve;

    @Mixin
    BindOption bind;

    /** The server for {@code hls} if {@code --serve} was given, else null. */
    LiveServer start(CommandLine cli, Path hls) throws IOException {
        return serve == null ? null : bind.serve(cli, hls, serve);
    }
}

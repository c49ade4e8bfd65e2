package org.oisrstream.jobs.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import org.oisrstream.jobs.live.LiveServer;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** {@code --bind}: where the before/after viewer server listens ({@code serve}, {@code upscale}, {@code assemble}). */
final class BindOption {

    @Option(names = "--bind", defaultValue = "127.0.0.1", paramLabel = "ADDRESS",
            description = "Address the viewer server listens on (default: ${DEFAULT-VALUE}, this machine only).")
    String bind;

    /** Starts the viewer server for {@code dir} on {@code port} (0: any free one); prints its address. */
    LiveServer serve(CommandLine cli, Path dir, int port) throws IOException {
        InetAddress address;
        try {
            address = InetAddress.getByName(bind);
        } catch (UnknownHostException e) {
            throw new CommandLine.ParameterException(cli, "--bind " + bind + " is not an address of this machine");
        }
        LiveServer server = LiveServer.start(dir, address, port);
        cli.getErr().printf("viewer: %s (serving %s)%n", server.uri(), dir.toAbsolutePath());
        return server;
    }

    /** Keeps a server up until the process is interrupted (Ctrl-C); returns at once without one. */
    static void serveUntilInterrupted(CommandLine cli, LiveServer server) throws InterruptedException {
        if (server != null) {
            cli.getErr().printf("still serving %s; Ctrl-C to stop%n", server.uri());
            new CountDownLatch(1).await();
        }
    }
}

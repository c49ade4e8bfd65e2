package org.oisrstream.jobs.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import me.tongfei.progressbar.ProgressBar;
import org.oisrstream.jobs.live.LiveHlsOutput;
import org.oisrstream.jobs.live.LiveServer;
import org.oisrstream.jobs.local.LocalUpscale;
import org.oisrstream.jobs.upscale.UpscaleJobParameters;
import org.oisrstream.operators.kafka.ChunkRecord;
import org.oisrstream.operators.media.SourceInfo;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code oisr upscale}: the whole streaming pipeline on this machine, file in, file out. */
@Command(name = "upscale", mixinStandardHelpOptions = true,
        description = {"Upscale a video file through the streaming pipeline in this process: an embedded Kafka"
                + " broker (or --bootstrap-servers), a local Flink job, ingest and assembly. Audio is kept."})
public final class UpscaleCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "INPUT",
            description = "Video file to upscale, or a live URL FFmpeg reads (udp://, rtsp://, srt://, http(s)://, HLS).")
    String input;

    @Parameters(index = "1", paramLabel = "OUTPUT", description = "Output file (.mp4, .mkv or .ts).")
    Path output;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT", description = "Use this Kafka cluster instead of an embedded broker.")
    String bootstrapServers;

    @Option(names = "--chunk-seconds", defaultValue = "2", paramLabel = "S", description = "Chunk length in seconds (default: ${DEFAULT-VALUE}).")
    double chunkSeconds;

    @Option(names = "--timeout", defaultValue = "PT3H", paramLabel = "DURATION",
            description = "Give up when no chunk completes for this long, ISO-8601; a failing job or chunk stops the"
                    + " run at once anyway (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Mixin
    StreamingOptions upscaler;

    @Mixin
    LiveOptions live;

    @Override
    public Integer call() throws Exception {
        LocalUpscale.checkPaths(input, output);
        if (upscaler.kafka.given() && bootstrapServers == null) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--kafka-config and --kafka-property need --bootstrap-servers (the embedded broker is plaintext)");
        }
        live.check(spec.commandLine());
        UpscaleJobParameters.Builder job = upscaler.applyTo(UpscaleJobParameters.builder(), spec.commandLine());
        AtomicReference<ProgressBar> bar = new AtomicReference<>();
        LocalUpscale.Result result;
        double chunks = live.chunkSeconds(spec.commandLine(), chunkSeconds);
        LiveHlsOutput hls = live.hls == null ? null : new LiveHlsOutput(live.hls, upscaler.model.model(), upscaler.model.scale(), chunks);
        LiveServer server = live.startServer(spec.commandLine());
        try {
            result = LocalUpscale.run(new LocalUpscale.Request(input, output, job, bootstrapServers, chunks, timeout,
                            live.settings(), live.source.allowProtocols),
                    new LocalUpscale.Listener() {
                        @Override
                        public void started(SourceInfo source) {
                            bar.set(FrameProgress.frames("upscale", source.frameCount()));
                        }

                        @Override
                        public void ingested(long frames, long chunks) {
                            bar.get().maxHint(frames);
                        }

                        @Override
                        public void chunkUpscaled(ChunkRecord chunk) {
                            bar.get().stepBy(chunk.frameCount());
                            if (hls != null) {
                                hls.upscaledChunk(chunk);
                            }
                        }

                        @Override
                        public void chunkIngested(ChunkRecord chunk) {
                            if (hls != null) {
                                hls.sourceChunk(chunk);
                            }
                        }
                    });
        } catch (RuntimeException | InterruptedException e) {
            if (server != null) {
                server.close();
            }
            throw e;
        } finally {
            if (bar.get() != null) {
                bar.get().close();
            }
            if (hls != null) {
                hls.close();
            }
        }
        spec.commandLine().getErr().printf("wrote %s: %d frames in %d chunks, %.3f s of video, %d audio packets,"
                        + " in %.1f s (%.2f frames/s)%n", result.output(), result.frames(), result.chunks(),
                result.durationMicros() / 1e6, result.audioPackets(), result.elapsed().toMillis() / 1e3,
                result.frames() / Math.max(1e-3, result.elapsed().toMillis() / 1e3));
        if (hls != null) {
            spec.commandLine().getErr().printf("HLS: %s (%d segments)%n",
                    hls.root().resolve(LiveHlsOutput.UPSCALED).resolve("index.m3u8"), hls.upscaledSegments().size());
        }
        BindOption.serveUntilInterrupted(spec.commandLine(), server);
        return 0;
    }
}

package org.oisrstream.jobs.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** How a source is opened ({@code oisr ingest}, {@code oisr upscale}): protocols it may use, timeout, FFmpeg options. */
final class SourceOptions {

    @Option(names = "--allow-protocols", split = ",", paramLabel = "PROTOCOL",
            description = "FFmpeg protocols the source may use beyond its own (a path: file only; a URL: its scheme"
                    + " and transports), e.g. http,tcp for a local playlist of remote segments. See docs/security.md.")
    List<String> allowProtocols = new ArrayList<>();

    @Option(names = "--source-timeout", defaultValue = "PT10S", paramLabel = "DURATION",
            description = "For a live URL: give up opening, or end the stream, after this long without data (default: ${DEFAULT-VALUE}).")
    Duration sourceTimeout;

    @Option(names = "--input-option", paramLabel = "KEY=VALUE",
            description = "FFmpeg demuxer/protocol option for the source, e.g. rtsp_transport=tcp (repeatable).")
    Map<String, String> inputOptions = new LinkedHashMap<>();

    void check(CommandLine cli) {
        if (sourceTimeout.isNegative() || sourceTimeout.isZero()) {
            throw new CommandLine.ParameterException(cli, "--source-timeout must be positive");
        }
    }
}

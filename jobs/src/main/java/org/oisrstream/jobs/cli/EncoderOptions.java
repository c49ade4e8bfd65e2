package org.oisrstream.jobs.cli;

import org.oisrstream.operators.media.ChunkTranscoder;
import org.oisrstream.operators.media.EncoderSettings;
import org.oisrstream.operators.media.MediaException;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** {@code --codec}, {@code --quality} and {@code --preset}: how upscaled video is encoded. */
final class EncoderOptions {

    @Option(names = "--codec", defaultValue = EncoderSettings.DEFAULT_CODEC, paramLabel = "NAME", description = "Video encoder (default: ${DEFAULT-VALUE}).")
    String codec;

    @Option(names = "--quality", defaultValue = "" + EncoderSettings.DEFAULT_QUALITY, paramLabel = "Q", description = "Constant quality (QP/CRF; lower is better; default: ${DEFAULT-VALUE}).")
    int quality;

    @Option(names = "--preset", paramLabel = "NAME", description = "Encoder speed preset, if the encoder has them.")
    String preset;

    /** The settings, checked by opening the encoder on this machine: a codec it cannot open fails here, not per chunk. */
    EncoderSettings settings(CommandLine cli) {
        try {
            EncoderSettings encoder = EncoderSettings.builder().codec(codec).quality(quality).preset(preset).build();
            new ChunkTranscoder(encoder).checkEncoder();
            return encoder;
        } catch (IllegalArgumentException | MediaException e) {
            throw new CommandLine.ParameterException(cli, e.getMessage());
        }
    }
}

package org.oisrstream.jobs.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import org.oisrstream.model.image.ImageFiles;
import org.oisrstream.model.image.RgbImage;
import org.oisrstream.model.cli.LocalUpscalerOptions;
import org.oisrstream.model.cli.Options;
import org.oisrstream.model.infer.ImageUpscaler;
import org.oisrstream.model.infer.UpscalerRequest;
import org.oisrstream.model.infer.Upscalers;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code oisr image}: upscale image files with any upscaler of the registry. */
@Command(name = "image", mixinStandardHelpOptions = true,
        description = "Upscales PNG, JPEG or BMP images with an OISR network (or the nearest or bicubic baseline) and"
                + " writes PNG.")
final class ImageCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "IN", description = "Input images (PNG, JPEG, BMP).")
    List<Path> inputs;

    @Mixin
    LocalUpscalerOptions upscalerOptions;

    @Option(names = {"-o", "--output"}, required = true,
            description = "Output PNG file for one input, or a folder (created if needed) for several.")
    Path output;

    @Override
    public Integer call() throws IOException {
        CommandLine cli = spec.commandLine();
        UpscalerRequest request = upscalerOptions.request(cli, false);
        for (Path in : inputs) {
            if (!Files.isRegularFile(in)) {
                throw new CommandLine.ParameterException(cli, "no such input file: " + in);
            }
            if (!ImageFiles.isSupportedImage(in)) {
                throw new CommandLine.ParameterException(cli, "not a PNG, JPEG or BMP file: " + in);
            }
        }
        List<Path> targets = targets(cli);
        IgnoredOptions.warn(cli, request.model());
        PrintWriter out = cli.getOut();
        try (ImageUpscaler upscaler = Options.parse(cli, () -> Upscalers.create(request))) {
            for (int i = 0; i < inputs.size(); i++) {
                RgbImage image = ImageFiles.read(inputs.get(i));
                long start = System.nanoTime();
                RgbImage result = upscaler.upscale(image);
                double seconds = (System.nanoTime() - start) / 1e9;
                ImageFiles.writePng(result, targets.get(i));
                out.printf(Locale.ROOT, "%s (%dx%d) -> %s (%dx%d) in %.2f s with %s%n", inputs.get(i), image.width(),
                        image.height(), targets.get(i), result.width(), result.height(), seconds, upscaler.describe());
                out.flush();
            }
        }
        return 0;
    }

    private List<Path> targets(CommandLine cli) {
        boolean folder = inputs.size() > 1 || Files.isDirectory(output);
        List<Path> targets = new ArrayList<>();
        if (!folder) {
            if (!output.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".png")) {
                throw new CommandLine.ParameterException(cli, "--output must be a .png file or a folder, got " + output);
            }
            targets.add(output);
            return targets;
        }
        if (Files.exists(output) && !Files.isDirectory(output)) {
            throw new CommandLine.ParameterException(cli, "several inputs need --output to be a folder, " + output
                    + " is a file");
        }
        Set<Path> seen = new HashSet<>();
        for (Path in : inputs) {
            String name = in.getFileName().toString();
            int dot = name.lastIndexOf('.');
            Path target = output.resolve((dot > 0 ? name.substring(0, dot) : name) + ".png");
            if (!seen.add(target)) {
                throw new CommandLine.ParameterException(cli, "two inputs would both be written to " + target);
            }
            targets.add(target);
        }
        return targets;
    }
}

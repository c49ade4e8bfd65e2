package org.oisrstream.jobs.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import org.oisrstream.jobs.eval.ComparisonFigure;
import org.oisrstream.jobs.eval.EvalReport;
import org.oisrstream.jobs.eval.UpscalerFactory;
import org.oisrstream.model.data.EvalPair;
import org.oisrstream.model.data.EvalSet;
import org.oisrstream.model.data.EvalSets;
import org.oisrstream.model.eval.Evaluator;
import org.oisrstream.model.eval.ImageResult;
import org.oisrstream.model.eval.SetResult;
import org.oisrstream.model.image.ImageFiles;
import org.oisrstream.model.image.RgbImage;
import org.oisrstream.model.quality.MatlabBicubic;
import org.oisrstream.model.quality.Quality;
import org.oisrstream.model.quality.QualityMetrics;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code oisr eval}: PSNR / SSIM over SR benchmark sets, measured and tabulated as in the paper. */
@Command(name = "eval",
        mixinStandardHelpOptions = true,
        description = "Upscales the LR images of evaluation sets and prints mean PSNR / SSIM on Y (BT.601), the scale"
                + " shaved from each border, as a table in the shape of the paper's. See docs/evaluation.md.")
public final class EvalCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "NAME",
            description = "bicubic, lf-s, rk2-s, lf, rk2 or rk3 (networks need --weights unless weights ship)")
    String model;

    @Option(names = "--scale", required = true, paramLabel = "S", description = "upscaling factor (2, 3, 4)")
    int scale;

    @Option(names = "--weights", paramLabel = "FILE", description = "network weights (not used by bicubic)")
    Path weights;

    @Option(names = "--data", required = true, arity = "1..*", paramLabel = "DIR",
            description = "evaluation sets: NAME or NAME/xS with *_HR.png + *_LR.png pairs, EDSR layout"
                    + " (NAME/HR + NAME/LR_bicubic/XS), or a folder of HR images")
    List<Path> data;

    @Option(names = "--device", paramLabel = "DEVICE", description = "auto, cpu, cuda or cuda:N (networks only; default auto)")
    String device;

    @Option(names = "--precision", paramLabel = "P", description = "fp32, bf16 or fp16 (fp16 needs CUDA; networks only; default fp32)")
    String precision;

    @Option(names = "--tile", paramLabel = "auto|0|N",
            description = "tile side in LR pixels, 0 = whole images, auto (default) = tiles only when a whole image"
                    + " would not fit the network's memory budget (networks only)")
    String tile;

    @Option(names = "--self-ensemble", description = "average the 8 flips / rotations (EDSR's '+' models)")
    boolean selfEnsemble;

    @Option(names = "--save-results", paramLabel = "DIR",
            description = "write SR images to DIR/<dataset>/x<S>/<name>_<model>.png")
    Path saveResults;

    @Option(names = "--compare", paramLabel = "DIR",
            description = "write LR / bicubic / SR / HR crop figures to DIR/<dataset>/x<S>/<name>_compare_<model>.png")
    Path compare;

    @Option(names = "--json", paramLabel = "FILE", description = "write per-image and per-set results as JSON")
    Path json;

    @Override
    public Integer call() throws Exception {
        validate();
        List<EvalSet> sets = new ArrayList<>();
        for (Path dir : data) {
            sets.add(EvalSets.open(dir, scale));
        }
        PrintWriter err = spec.commandLine().getErr();
        UpscalerFactory.Built built;
        try {
            built = UpscalerFactory.create(new UpscalerFactory.Request(
                    model, scale, weights, device, precision,
                    tile == null || tile.equals("auto") ? null : Integer.valueOf(tile), selfEnsemble));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        if (!built.ignored().isEmpty()) {
            err.println("oisr eval: " + String.join(", ", built.ignored()) + " ignored for --model " + model);
        }
        String fileTag = model + (selfEnsemble ? "+" : "");
        String upscalerDescription = built.upscaler().describe();
        List<EvalReport.SetReport> reports = new ArrayList<>();
        try (var upscaler = built.upscaler()) {
            for (EvalSet set : sets) {
                err.println("oisr eval: " + set.name() + " x" + scale + ": " + set.size() + " images ("
                        + set.layout() + ") with " + upscalerDescription);
                err.flush();
                SetResult result;
                try (ProgressBar progress = progressBar(set.name() + " x" + scale, set.size(), err)) {
                    result = Evaluator.evaluate(upscaler, set, scale, (index, pair, sr, image) -> {
                        writeOutputs(set, pair, sr, image, built.method(), fileTag);
                        progress.step();
                        progress.setExtraMessage(String.format(Locale.ROOT, "%s %.2f dB", pair.name(),
                                image.quality().psnr()));
                    });
                }
                reports.add(EvalReport.setReport(result, set.layout()));
            }
        }
        EvalReport report = new EvalReport(model, built.method(), scale, selfEnsemble, upscalerDescription,
                built.device(), EvalReport.convention(scale), reports);
        PrintWriter out = spec.commandLine().getOut();
        out.println();
        out.println("Mean PSNR (dB) / SSIM on Y, " + scale + " pixels shaved from each border; s / image = upscale"
                + " wall time per image.");
        out.println();
        out.print(report.markdownTable());
        out.flush();
        if (json != null) {
            writeJson(report);
            err.println("oisr eval: wrote " + json);
        }
        return 0;
    }

    /** A live bar on a terminal; otherwise plain lines every few seconds, which read well in a log. */
    private static ProgressBar progressBar(String task, int size, PrintWriter err) {
        ProgressBarBuilder builder = new ProgressBarBuilder().setTaskName(task).setInitialMax(size);
        if (System.console() == null) {
            builder.setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(5000)
                    .setConsumer(new DelegatingProgressBarConsumer(line -> {
                        err.println(line);
                        err.flush();
                    }));
        } else {
            builder.setUpdateIntervalMillis(250);
        }
        return builder.build();
    }

    private void validate() {
        if (!UpscalerFactory.MODELS.contains(model)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "unknown --model '" + model
                    + "' (expected one of " + String.join(", ", UpscalerFactory.MODELS) + ")");
        }
        if (scale < 2 || scale > 8) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--scale must be between 2 and 8, got " + scale);
        }
        if (tile != null && !tile.equals("auto") && !tile.matches("\\d{1,6}")) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--tile must be auto, 0 or a positive number of LR pixels, got '" + tile + "'");
        }
        if (weights != null && !Files.isRegularFile(weights)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--weights " + weights + ": no such file"
                    + (Files.exists(weights) ? " (not a regular file)" : ""));
        }
        for (Path dir : data) {
            if (!Files.isDirectory(dir)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--data " + dir + ": no such folder");
            }
        }
    }

    private void writeOutputs(EvalSet set, EvalPair pair, RgbImage sr, ImageResult image, String method, String fileTag)
            throws IOException {
        if (saveResults != null) {
            ImageFiles.writePng(sr, outputDir(saveResults, set).resolve(pair.name() + "_" + fileTag + ".png"));
        }
        if (compare != null) {
            RgbImage bicubic = MatlabBicubic.upscale(pair.lr(), scale);
            Quality bicubicQuality = QualityMetrics.qualityY(bicubic, pair.hr(), scale);
            var figure = ComparisonFigure.render(set.name(), pair, scale, bicubic, bicubicQuality, method, sr,
                    image.quality());
            Path file = outputDir(compare, set).resolve(pair.name() + "_compare_" + fileTag + ".png");
            if (!ImageIO.write(figure, "png", file.toFile())) {
                throw new IOException("no PNG writer available for " + file);
            }
        }
    }

    private Path outputDir(Path root, EvalSet set) throws IOException {
        return Files.createDirectories(root.resolve(set.name()).resolve("x" + scale));
    }

    private void writeJson(EvalReport report) throws IOException {
        Path parent = json.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), report);
    }
}

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
import org.oisrstream.model.data.EvalPair;
import org.oisrstream.model.data.EvalSet;
import org.oisrstream.model.data.EvalSets;
import org.oisrstream.model.eval.Evaluator;
import org.oisrstream.model.eval.ImageResult;
import org.oisrstream.model.eval.SetResult;
import org.oisrstream.model.image.ImageFiles;
import org.oisrstream.model.image.RgbImage;
import org.oisrstream.model.cli.LocalUpscalerOptions;
import org.oisrstream.model.cli.Options;
import org.oisrstream.model.infer.ImageUpscaler;
import org.oisrstream.model.infer.OisrUpscaler;
import org.oisrstream.model.infer.SelfEnsembleUpscaler;
import org.oisrstream.model.infer.UpscalerRequest;
import org.oisrstream.model.infer.Upscalers;
import org.oisrstream.model.quality.MatlabBicubic;
import org.oisrstream.model.quality.Quality;
import org.oisrstream.model.quality.QualityMetrics;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code oisr eval}: PSNR / SSIM over SR benchmark sets, measured and tabulated as in the paper. */
@Command(name = "eval",
        mixinStandardHelpOptions = true,
        description = "Upscales the LR images of evaluation sets and prints mean PSNR / SSIM on Y (BT.601), the scale"
                + " shaved from each border, as a table in the shape of the paper's. See docs/evaluation.md.")
public final class EvalCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    LocalUpscalerOptions upscalerOptions;

    @Option(names = "--data", required = true, arity = "1..*", paramLabel = "DIR",
            description = "evaluation sets: NAME or NAME/xS with *_HR.png + *_LR.png pairs, EDSR layout"
                    + " (NAME/HR + NAME/LR_bicubic/XS), or a folder of HR images")
    List<Path> data;

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
        CommandLine cli = spec.commandLine();
        UpscalerRequest request = upscalerOptions.request(cli, selfEnsemble);
        String model = request.model();
        int scale = request.scale();
        validate();
        List<EvalSet> sets = new ArrayList<>();
        for (Path dir : data) {
            sets.add(EvalSets.open(dir, scale));
        }
        PrintWriter err = cli.getErr();
        IgnoredOptions.warn(cli, model);
        String method = Upscalers.paperName(model) + (selfEnsemble ? "+" : "");
        String fileTag = model + (selfEnsemble ? "+" : "");
        List<EvalReport.SetReport> reports = new ArrayList<>();
        String upscalerDescription;
        String device;
        String precision;
        try (ImageUpscaler upscaler = Options.parse(cli, () -> Upscalers.create(request))) {
            upscalerDescription = upscaler.describe();
            ImageUpscaler base = upscaler instanceof SelfEnsembleUpscaler ensemble ? ensemble.inner() : upscaler;
            if (base instanceof OisrUpscaler network) {
                precision = network.precision().toString();
                device = network.device() + " (" + precision + ")";
            } else {
                precision = null;
                device = "cpu (Java)";
            }
            for (EvalSet set : sets) {
                err.println("oisr eval: " + set.name() + " x" + scale + ": " + set.size() + " images ("
                        + set.layout() + ") with " + upscalerDescription);
                err.flush();
                SetResult result;
                try (ProgressBar progress = progressBar(set.name() + " x" + scale, set.size(), err)) {
                    result = Evaluator.evaluate(upscaler, set, scale, (index, pair, sr, image) -> {
                        writeOutputs(set, pair, sr, image, scale, method, fileTag);
                        progress.step();
                        progress.setExtraMessage(String.format(Locale.ROOT, "%s %.2f dB", pair.name(),
                                image.quality().psnr()));
                    });
                }
                reports.add(EvalReport.setReport(result, set.layout()));
            }
        }
        EvalReport report = new EvalReport(model, method, scale, selfEnsemble, upscalerDescription, device, precision,
                EvalReport.convention(scale), reports);
        PrintWriter out = cli.getOut();
        out.println();
        out.println("Mean PSNR (dB) / SSIM on Y, " + scale + " pixels shaved from each border; s / image = upscale"
                + " wall time per image.");
        out.println();
        out.print(report.markdownTable());
        out.println();
        out.println(report.precisionNote(cli.getParseResult().hasMatchedOption("--precision")));
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
        for (Path dir : data) {
            if (!Files.isDirectory(dir)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--data " + dir + ": no such folder");
            }
        }
    }

    private void writeOutputs(EvalSet set, EvalPair pair, RgbImage sr, ImageResult image, int scale, String method,
                              String fileTag) throws IOException {
        if (saveResults != null) {
            ImageFiles.writePng(sr, outputDir(saveResults, set, scale).resolve(pair.name() + "_" + fileTag + ".png"));
        }
        if (compare != null) {
            RgbImage bicubic = MatlabBicubic.upscale(pair.lr(), scale);
            Quality bicubicQuality = QualityMetrics.qualityY(bicubic, pair.hr(), scale);
            var figure = ComparisonFigure.render(set.name(), pair, scale, bicubic, bicubicQuality, method, sr,
                    image.quality());
            Path file = outputDir(compare, set, scale).resolve(pair.name() + "_compare_" + fileTag + ".png");
            if (!ImageIO.write(figure, "png", file.toFile())) {
                throw new IOException("no PNG writer available for " + file);
            }
        }
    }

    private static Path outputDir(Path root, EvalSet set, int scale) throws IOException {
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

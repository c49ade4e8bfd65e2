package org.oisrstream.jobs.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.oisrstream.jobs.bench.PipelineBenchmark;
import org.oisrstream.jobs.bench.ProcessStats;
import org.oisrstream.jobs.bench.ThreadCpu;
import org.oisrstream.jobs.local.LocalUpscale;
import org.oisrstream.jobs.upscale.UpscaleJobParameters;
import org.oisrstream.model.image.RgbImage;
import org.oisrstream.model.image.YuvMatrix;
import org.oisrstream.model.infer.ImageTensors;
import org.oisrstream.model.infer.ImageUpscaler;
import org.oisrstream.model.infer.OisrUpscaler;
import org.oisrstream.model.cli.Options;
import org.oisrstream.model.infer.ComputeDevice;
import org.oisrstream.model.infer.UpscalerRequest;
import org.oisrstream.operators.infer.InferenceService;
import org.oisrstream.model.infer.Upscalers;
import org.oisrstream.operators.infer.UpscalerSpec;
import picocli.CommandLine;

/**
 * {@code oisr bench --pipeline VIDEO}: the local streaming pipeline against the model alone, at the same size,
 * precision and settings, in one process and one run, so their ratio is free of machine-to-machine noise.
 */
final class PipelineBench {

    private final UpscalerRequest request;
    private final int iterations;
    private final int warmup;

    /** {@code request}'s model, scale, weights, device, precision and tile; the job's own other settings. */
    PipelineBench(UpscalerRequest request, int iterations, int warmup) {
        this.request = request;
        this.iterations = iterations;
        this.warmup = warmup;
    }

    int run(CommandLine cli, Path video) throws Exception {
        UpscalerSpec upscaler = Options.parse(cli, () -> {
            UpscalerSpec spec = new UpscalerSpec(request.model(), request.scale(),
                    request.weights() == null ? null : request.weights().toString(), request.device(),
                    request.precision(), request.tile());
            Upscalers.check(spec.request(1));
            LocalUpscale.checkPaths(video, Path.of(System.getProperty("java.io.tmpdir"), "oisr-bench.mp4"));
            return spec;
        });
        int scale = upscaler.scale();
        UpscaleJobParameters.Builder job = UpscaleJobParameters.builder().upscaler(upscaler);
        int maxBatch = job.bootstrapServers("unset").build().upscale().batching().maxBatch();
        Path dir = Files.createTempDirectory("oisr-bench-");
        Path output = dir.resolve("upscaled.mp4");
        PrintWriter out = cli.getOut();
        try {
            PipelineBenchmark.Result r = PipelineBenchmark.run(video, output, job, 2.0);
            int w = r.source().width();
            int h = r.source().height();
            out.printf(Locale.ROOT, "pipeline: %s, %dx%d -> %dx%d, %d frames in %d chunks%n", upscaler, w, h,
                    w * scale, h * scale, r.frames(), r.chunkTimes().size());
            out.printf(Locale.ROOT, "  start-up (broker, MiniCluster, job's tasks running, model loaded): %.1f s; output"
                            + " complete %.1f s later; shut-down (job, broker) %.1f s; total %.1f s%n",
                    r.startup().toMillis() / 1e3, r.pipelineSeconds(), r.shutdown().toMillis() / 1e3,
                    r.total().toMillis() / 1e3);
            ProcessStats p = r.process();
            out.printf(Locale.ROOT, "  process: user CPU %.1f s, system CPU %.1f s (%.1f%% of user), %d minor page"
                            + " faults, peak RSS %d MiB%n", p.userSeconds(), p.systemSeconds(), 100 * p.systemShare(),
                    p.minorFaults(), p.peakResidentBytes() >> 20);
            InferenceService.Stats m = r.model();
            out.printf(Locale.ROOT, "  model: %d frames, busy %.1f s of the %.1f s from its first frame to its last"
                            + " pass (%.1f%%), %.3f s per frame; first frame in %.1f s after start-up (first fetch,"
                            + " decoding), output complete %.1f s after the last pass (last frames out, commit,"
                            + " assembly)%n", m.frames(), m.busyNanos() / 1e9, m.spanNanos() / 1e9,
                    100 * m.busyShare(), m.busyNanos() / 1e9 / Math.max(1, m.frames()),
                    r.firstFrame().toMillis() / 1e3, r.lastFrame().toMillis() / 1e3);
            ThreadCpu t = r.threads();
            if (t.seconds(ThreadCpu.Group.MODEL) > 0) {
                out.printf(Locale.ROOT, "  beside the model until the output was complete: %.2f s of CPU, %.3f"
                                + " processors (%s)%n", t.besideModel(), t.besideModel() / Math.max(1e-9,
                                r.pipelineSeconds()), t.besideModelByGroup());
            }
            double pipelineFps = r.framesPerSecond();
            out.printf(Locale.ROOT, "  end-to-end, start-up and shut-down subtracted: %.3f frames/s%n", pipelineFps);
            out.flush();

            try (ImageUpscaler alone = Upscalers.create(upscaler.request(maxBatch))) {
                List<RgbImage> frame = BenchCommand.randomFrames(1, w, h);
                BenchCommand.Timing withIo = BenchCommand.time(() -> alone.upscale(frame), device(alone),
                        warmup, iterations);
                out.printf(Locale.ROOT, "model alone (%s), one frame at a time:%n", alone.describe());
                double ioFps = 1 / withIo.median();
                out.printf(Locale.ROOT, "  with image I/O:  %.3f frames/s%n", ioFps);
                double forwardFps = Double.NaN;
                if (alone instanceof OisrUpscaler network) {
                    try (PointerScope scope = new PointerScope()) {
                        Tensor x = ImageTensors.toTensor(frame, network.device().torchDevice(),
                                network.layout().memoryFormat());
                        BenchCommand.Timing forward = BenchCommand.time(() -> network.forward(x), network.device(),
                                warmup, iterations);
                        forwardFps = 1 / forward.median();
                    }
                    out.printf(Locale.ROOT, "  forward pass:    %.3f frames/s (oisr bench's model-only number)%n",
                            forwardFps);
                }
                double yuvFps = Double.NaN;
                if (alone.upscalesToYuv420()) {
                    BenchCommand.Timing yuv = BenchCommand.time(() -> alone.upscaleYuv420(frame, YuvMatrix.BT709),
                            device(alone), warmup, iterations);
                    yuvFps = 1 / yuv.median();
                    out.printf(Locale.ROOT, "  to Y'CbCr 4:2:0 with image I/O: %.3f frames/s (what the pipeline runs"
                            + " for a yuv420p encoder)%n", yuvFps);
                }
                out.printf(Locale.ROOT, "pipeline / model alone: %.1f%% of the forward pass, %.1f%% of the model with"
                        + " image I/O%s%n", 100 * pipelineFps / forwardFps, 100 * pipelineFps / ioFps,
                        Double.isNaN(yuvFps) ? "" : String.format(Locale.ROOT, ", %.1f%% of the model to Y'CbCr 4:2:0",
                                100 * pipelineFps / yuvFps));
            }
        } finally {
            Files.deleteIfExists(output);
            Files.deleteIfExists(dir);
        }
        return 0;
    }

    /** Where {@code upscaler} runs: its device for a network, the CPU for a Java baseline. */
    private static ComputeDevice device(ImageUpscaler upscaler) {
        return upscaler instanceof OisrUpscaler network ? network.device() : ComputeDevice.CPU;
    }
}

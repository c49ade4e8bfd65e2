package org.oisrstream.model.infer;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.global.torch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Where a network runs: {@code auto}, {@code cpu}, {@code cuda} or {@code cuda:N}. */
public record ComputeDevice(Kind kind, int index) {

    public enum Kind { AUTO, CPU, CUDA }

    private static final Logger LOG = LoggerFactory.getLogger(ComputeDevice.class);
    private static final Pattern SYNTAX = Pattern.compile("(auto|cpu|cuda)(?::(\\d+))?");

    public static final ComputeDevice AUTO = new ComputeDevice(Kind.AUTO, 0);
    public static final ComputeDevice CPU = new ComputeDevice(Kind.CPU, 0);

    public static ComputeDevice parse(String text) {
        Matcher m = SYNTAX.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (!m.matches() || (m.group(2) != null && !m.group(1).equals("cuda"))) {
            throw new IllegalArgumentException("unknown device '" + text + "' (expected auto, cpu, cuda or cuda:N)");
        }
        Kind kind = Kind.valueOf(m.group(1).toUpperCase(Locale.ROOT));
        return new ComputeDevice(kind, m.group(2) == null ? 0 : Integer.parseInt(m.group(2)));
    }

    /** {@code auto} becomes CUDA when LibTorch sees a GPU, else CPU (logged); {@code cuda} is checked to exist. */
    public ComputeDevice resolve() {
        TorchNatives.ensureLoaded();
        return switch (kind) {
            case CPU -> this;
            case AUTO -> {
                if (torch.cuda_is_available()) {
                    LOG.info("device auto: CUDA is available, using cuda:0");
                    yield new ComputeDevice(Kind.CUDA, 0);
                }
                LOG.info("device auto: no CUDA device visible to LibTorch, using the CPU");
                yield CPU;
            }
            case CUDA -> {
                if (!torch.cuda_is_available()) {
                    throw new IllegalArgumentException("device " + this + " requested but LibTorch sees no CUDA device"
                            + " (CPU-only build or no GPU); use --device cpu");
                }
                int count = torch.cuda_device_count();
                if (index >= count) {
                    throw new IllegalArgumentException("device " + this + " does not exist (" + count + " CUDA devices)");
                }
                yield this;
            }
        };
    }

    public boolean isCuda() {
        return kind == Kind.CUDA;
    }

    /** The LibTorch device; call on a resolved device. */
    public Device torchDevice() {
        return switch (kind) {
            case CPU -> new Device(torch.DeviceType.CPU);
            case CUDA -> new Device(torch.DeviceType.CUDA, (byte) index);
            case AUTO -> throw new IllegalStateException("resolve() the device first");
        };
    }

    @Override
    public String toString() {
        return kind == Kind.CUDA ? "cuda:" + index : kind.name().toLowerCase(Locale.ROOT);
    }
}

package org.oisrstream.model.cli;

import org.oisrstream.model.infer.ComputeDevice;
import org.oisrstream.model.infer.CpuFeatures;
import org.oisrstream.model.infer.Precision;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * {@code --device} and {@code --precision}, with {@code auto} for both: the device becomes CUDA when LibTorch sees a
 * GPU, else the CPU; the precision {@link Precision#forDevice}'s choice on it.
 */
public final class DeviceOptions {

    @Option(names = "--device", defaultValue = "auto", paramLabel = "DEV",
            description = "auto (cuda:0 when LibTorch sees a GPU, else the CPU), cpu, cuda or cuda:N"
                    + " (default: ${DEFAULT-VALUE}). Not used by nearest and bicubic.")
    String device;

    @Option(names = "--precision", defaultValue = Precision.AUTO, paramLabel = "P",
            description = "auto (bf16 on CPUs with native bf16, fp16 on CUDA, else fp32), fp32, bf16 or fp16"
                    + " (default: ${DEFAULT-VALUE}). Not used by nearest and bicubic.")
    String precision;

    /** The device as given, unchecked (for callers without a command line: check it with {@link ComputeDevice#parse}). */
    public String device() {
        return device;
    }

    /** The precision as given, unchecked (for callers without a command line: check it with {@link Precision#check}). */
    public String precision() {
        return precision;
    }

    /** The device as given ({@code auto} unresolved), checked. */
    public ComputeDevice device(CommandLine cli) {
        return Options.parse(cli, () -> ComputeDevice.parse(device));
    }

    /** The precision as given ({@code auto} or a name), checked; it is resolved once the device is known. */
    public String precision(CommandLine cli) {
        return Options.parse(cli, () -> {
            Precision.check(precision);
            return precision.strip().toLowerCase(java.util.Locale.ROOT);
        });
    }

    /** The device with {@code auto} resolved (loads LibTorch). */
    public ComputeDevice resolvedDevice(CommandLine cli) {
        ComputeDevice given = device(cli);
        return Options.parse(cli, given::resolve);
    }

    /** The precision with {@code auto} resolved for {@code resolvedDevice} by {@link Precision#forDevice}. */
    public Precision resolvedPrecision(CommandLine cli, ComputeDevice resolvedDevice) {
        String given = precision(cli);
        return Precision.isAuto(given) ? Precision.forDevice(resolvedDevice, CpuFeatures.host()) : Precision.parse(given);
    }
}

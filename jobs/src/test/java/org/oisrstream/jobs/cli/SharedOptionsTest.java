package org.oisrstream.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.oisrstream.model.cli.BatchOption;
import org.oisrstream.model.cli.DeviceOptions;
import org.oisrstream.model.cli.ModelOptions;
import org.oisrstream.model.cli.ThreadsOption;
import org.oisrstream.model.cli.TileOption;
import org.oisrstream.model.cli.TuningOptions;
import org.oisrstream.model.cli.WeightsOption;
import org.oisrstream.model.infer.Upscalers;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

/**
 * Walks picocli's model of every {@code oisr} command: a flag of a shared group (model, weights, device and
 * precision, tile, batch, threads, layout and overlap, encoder; Kafka cluster and record size, source, viewer,
 * metrics port) must
 * be the group's own option wherever it appears,
 * with the same names, default, description, label and type, and it must appear in every command where it means
 * the same.
 */
class SharedOptionsTest {

    private static final Set<String> RUN_AN_UPSCALER = Set.of("image", "bench", "eval", "upscale", "job");
    private static final Set<String> ALL = Set.of("image", "bench", "eval", "upscale", "job", "train");

    /** Where each shared flag must be; {@code train} has no weights to run with, no tiles and no batch of frames. */
    private static final Map<String, Set<String>> REQUIRED = Map.ofEntries(
            Map.entry("--model", ALL), Map.entry("--scale", ALL), Map.entry("--device", ALL),
            Map.entry("--precision", ALL), Map.entry("--weights", RUN_AN_UPSCALER), Map.entry("--tile", RUN_AN_UPSCALER),
            Map.entry("--max-batch", Set.of("image", "eval", "upscale", "job")),
            Map.entry("--threads", Set.of("image", "bench", "eval", "train")),
            Map.entry("--layout", Set.of("image", "bench", "eval")), Map.entry("--overlap", Set.of("image", "bench", "eval")),
            Map.entry("--codec", Set.of("upscale", "job")), Map.entry("--quality", Set.of("upscale", "job")),
            Map.entry("--preset", Set.of("upscale", "job")),
            Map.entry("--bootstrap-servers", Set.of("ingest", "topics", "job", "assemble")),
            Map.entry("--max-record-bytes", Set.of("ingest", "topics", "job", "assemble", "upscale")),
            Map.entry("--allow-protocols", Set.of("ingest", "upscale")), Map.entry("--source-timeout", Set.of("ingest", "upscale")),
            Map.entry("--input-option", Set.of("ingest", "upscale")),
            Map.entry("--serve", Set.of("upscale", "assemble")), Map.entry("--bind", Set.of("serve", "upscale", "assemble")),
            Map.entry("--metrics-port", Set.of("upscale", "job")));

    /** Flags a command defines its own way on purpose: upscale starts a broker of its own without a cluster. */
    private static final Map<String, Set<String>> OWN_WAY = Map.of("oisr upscale", Set.of("--bootstrap-servers"));

    /** An option as the user meets it: its names, default, help text, label, type and arity. */
    record Signature(List<String> names, String defaultValue, List<String> description, String paramLabel,
                     String type, String arity, boolean required, List<String> candidates) {

        static Signature of(OptionSpec o) {
            List<String> candidates = o.completionCandidates() == null ? null
                    : StreamSupport.stream(o.completionCandidates().spliterator(), false).toList();
            return new Signature(List.of(o.names()), o.defaultValue(), Arrays.asList(o.description()), o.paramLabel(),
                    o.type().getName(), o.arity().toString(), o.required(), candidates);
        }
    }

    /** The shared flags by name, as their mixins define them. */
    private static Map<String, Signature> sharedFlags() {
        Map<String, Signature> shared = new TreeMap<>();
        for (Object mixin : List.of(new ModelOptions(), new WeightsOption(), new DeviceOptions(), new TileOption(),
                new BatchOption(), new ThreadsOption(), new TuningOptions(), new EncoderOptions(), new BrokerOption(),
                new RecordSizeOption(), new SourceOptions(), new ViewerOptions(), new BindOption(),
                new MetricsPortOption())) {
            for (OptionSpec o : CommandSpec.forAnnotatedObject(mixin).options()) {
                shared.put(o.longestName(), Signature.of(o));
            }
        }
        return shared;
    }

    /** Every command below {@code root}, by its qualified name ("oisr image"). */
    private static Map<String, CommandSpec> commands(CommandLine root) {
        Map<String, CommandSpec> all = new LinkedHashMap<>();
        all.put(root.getCommandName(), root.getCommandSpec());
        for (CommandLine sub : root.getSubcommands().values()) {
            commands(sub).forEach((name, spec) -> all.put(root.getCommandName() + " " + name, spec));
        }
        return all;
    }

    /** Each place where a command's option carries a shared flag's name but differs from the shared flag. */
    static List<String> divergences(Map<String, CommandSpec> commands, Map<String, Signature> shared) {
        List<String> problems = new ArrayList<>();
        commands.forEach((command, spec) -> {
            for (OptionSpec o : spec.options()) {
                for (String name : o.names()) {
                    Signature expected = shared.get(name);
                    boolean ownWay = OWN_WAY.getOrDefault(command, Set.of()).contains(name);
                    if (expected != null && !ownWay && !expected.equals(Signature.of(o))) {
                        problems.add(command + " " + name + ": " + Signature.of(o) + " is not the shared " + expected);
                    }
                }
            }
        });
        return problems;
    }

    @Test
    void everySharedFlagIsTheSameOptionWhereverItAppears() {
        Map<String, CommandSpec> commands = commands(new CommandLine(new OisrCli()));
        assertTrue(commands.size() > 10, commands.keySet().toString());
        assertEquals(List.of(), divergences(commands, sharedFlags()));
    }

    @Test
    void everyCommandThatRunsAnUpscalerHasTheFlagsThatMeanTheSameForIt() {
        CommandLine root = new CommandLine(new OisrCli());
        Map<String, Signature> shared = sharedFlags();
        assertEquals(shared.keySet(), REQUIRED.keySet(), "every shared flag has its place in this table");
        REQUIRED.forEach((flag, where) -> {
            for (String command : where) {
                OptionSpec option = root.getSubcommands().get(command).getCommandSpec().findOption(flag);
                assertTrue(option != null, "oisr " + command + " lacks " + flag);
                assertEquals(shared.get(flag), Signature.of(option), "oisr " + command + " " + flag);
            }
        });
        assertEquals("auto", root.getSubcommands().get("eval").getCommandSpec().findOption("--precision").defaultValue());
        assertEquals("auto", root.getSubcommands().get("train").getCommandSpec().findOption("--precision").defaultValue());
    }

    @Test
    void everyCommandWithAMetricsPortTakesAndRefusesTheSamePorts() {
        for (String command : REQUIRED.get("--metrics-port")) {
            for (String good : List.of("0", "9249", "9250-9260", "65535")) {
                CommandLine cli = new CommandLine(new OisrCli());
                CommandLine.ParseResult parsed = cli.parseArgs(command, "--metrics-port", good, "--help");
                assertEquals(good, parsed.subcommand().matchedOptionValue("--metrics-port", null), command + " " + good);
            }
            for (String bad : List.of("65536", "9260-9250", "x", "9250-", "-1", "9249,9250")) {
                CommandLine cli = new CommandLine(new OisrCli());
                CommandLine.ParameterException e = assertThrows(CommandLine.ParameterException.class,
                        () -> cli.parseArgs(command, "--metrics-port", bad, "--help"), command + " " + bad);
                assertTrue(e.getMessage().contains("metrics port must be"), command + " " + bad + ": " + e.getMessage());
            }
        }
    }

    @picocli.CommandLine.Command(name = "divergent")
    static final class DivergentCommand {
        @Option(names = "--precision", defaultValue = "fp32", description = "fp32 by default here")
        String precision;
    }

    @Test
    void aCommandWithItsOwnVersionOfASharedFlagIsFound() {
        Map<String, CommandSpec> commands = Map.of("oisr divergent", new CommandLine(new DivergentCommand()).getCommandSpec());
        List<String> problems = divergences(commands, sharedFlags());
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("oisr divergent --precision"), problems.get(0));
    }

    @Test
    void helpTextsAndCompletionNameEveryUpscalerOfTheRegistry() {
        CommandLine root = new CommandLine(new OisrCli());
        for (String command : ALL) {
            String help = root.getSubcommands().get(command).getUsageMessage(CommandLine.Help.Ansi.OFF);
            String joined = String.join(", ", Upscalers.names());
            assertTrue(help.replaceAll("\\s+", " ").contains(joined), "oisr " + command + " --help:\n" + help);
            OptionSpec model = root.getSubcommands().get(command).getCommandSpec().findOption("--model");
            assertEquals(Upscalers.names(), StreamSupport.stream(model.completionCandidates().spliterator(), false).toList());
        }
    }
}

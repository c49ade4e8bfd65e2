package org.oisrstream.model.cli;

import java.util.function.Supplier;
import picocli.CommandLine;

/** Turns a value's {@link IllegalArgumentException} into picocli's "bad option" error (exit 2, one line). */
public final class Options {

    private Options() {
    }

    public static <T> T parse(CommandLine cli, Supplier<T> parser) {
        try {
            return parser.get();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cli, e.getMessage(), e);
        }
    }
}

package org.oisrstream.jobs.cli;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/** Parses {@code WIDTHxHEIGHT} options. */
final class Sizes {

    private static final Pattern SIZE = Pattern.compile("(\\d{1,5})[xX](\\d{1,5})");

    private Sizes() {
    }

    static int[] parse(CommandLine cli, String option, String text) {
        Matcher m = SIZE.matcher(text.strip());
        if (!m.matches() || Integer.parseInt(m.group(1)) == 0 || Integer.parseInt(m.group(2)) == 0) {
            throw new CommandLine.ParameterException(cli, option + " must be WIDTHxHEIGHT (e.g. 320x180), got '" + text + "'");
        }
        return new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))};
    }
}

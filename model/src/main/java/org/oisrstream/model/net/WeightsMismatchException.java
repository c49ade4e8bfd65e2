package org.oisrstream.model.net;

import java.util.List;

/** Weights that do not fit the network they are loaded into; nothing was loaded. */
public final class WeightsMismatchException extends IllegalArgumentException {

    private final List<String> problems;

    public WeightsMismatchException(String summary, List<String> problems) {
        super(summary + (problems.isEmpty() ? "" : ": " + String.join("; ", problems.subList(0, Math.min(6, problems.size())))
                + (problems.size() > 6 ? "; and " + (problems.size() - 6) + " more" : "")));
        this.problems = List.copyOf(problems);
    }

    /** Every problem found, one line each (the message shows the first few). */
    public List<String> problems() {
        return problems;
    }
}

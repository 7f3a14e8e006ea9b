package dev.millrace.sync.plan;

import java.util.List;

/**
 * The plan cannot be run as written. Each problem names the field it is about, e.g. {@code
 * streams[0].syncMode: unsupported value "x"}, so the operator can show it as is.
 */
public final class InvalidPlanException extends RuntimeException {

    private final List<String> problems;

    public InvalidPlanException(List<String> problems) {
        super(String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}

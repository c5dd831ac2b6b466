package io.jruntime.spec;

import io.jruntime.core.JRuntimeException;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A config, process, state or features document could not be read, parsed or written, or it is not valid.
 * The message is meant for the user as is: it names the file or the JSON path and says what is wrong.
 */
public class SpecException extends JRuntimeException {

    private final List<Violation> violations;

    public SpecException(String message) {
        this(message, null);
    }

    public SpecException(String message, Throwable cause) {
        super(message, cause);
        this.violations = List.of();
    }

    /** A validation failure: the message has one {@code <path>: <what is wrong>} line per violation. */
    public SpecException(List<Violation> violations) {
        super(violations.stream().map(Violation::toString).collect(Collectors.joining("\n")));
        this.violations = List.copyOf(violations);
    }

    /** The violations behind a validation failure; empty when reading or parsing failed. */
    public List<Violation> violations() {
        return violations;
    }
}

package io.jruntime.cli;

import io.jruntime.core.JRuntimeException;

/**
 * The command line is wrong (unknown flag, missing value, bad value, wrong number of arguments). Reported like
 * runc: "Incorrect Usage" and the command's help on stdout, the message logged as an error, exit status 1.
 */
public final class UsageException extends JRuntimeException {
    /** How runc words the stdout line: flag problems are shown inline, argument-count problems are not. */
    public enum Kind { FLAG, ARGS }

    private final Kind kind;
    private final String command;

    /**
     * @param command the command whose help to show, or null for the global help
     */
    public UsageException(Kind kind, String command, String message) {
        super(message);
        this.kind = kind;
        this.command = command;
    }

    public Kind kind() {
        return kind;
    }

    /** Command whose help goes with the error, or null for the global help. */
    public String command() {
        return command;
    }
}

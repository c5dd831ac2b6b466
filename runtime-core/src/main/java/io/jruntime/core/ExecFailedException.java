package io.jruntime.core;

/**
 * {@code exec} could not start its process. runc reports these as {@code exec failed: <cause>} with exit status
 * 255 (distinct from the exit status of a process that did run), and so does jruntime: the CLI wraps every
 * error coming out of the exec operation in this class, and lifecycle code may throw it directly.
 */
public final class ExecFailedException extends JRuntimeException {
    /** The exit status runc uses when exec fails before the process runs. */
    public static final int EXIT_STATUS = 255;

    public ExecFailedException(String message) {
        super(message.startsWith("exec failed: ") ? message : "exec failed: " + message);
    }

    public ExecFailedException(JRuntimeException cause) {
        super("exec failed: " + cause.getMessage(), cause);
    }
}

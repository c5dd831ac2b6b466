package io.jruntime.core;

/**
 * Base of every error jruntime reports to a user. The message must say what failed and, where it can,
 * what to do about it; the CLI maps the concrete subclass to an exit code in one place.
 */
public class JRuntimeException extends RuntimeException {
    public JRuntimeException(String message) {
        super(message);
    }

    public JRuntimeException(String message, Throwable cause) {
        super(message, cause);
    }
}

package io.jruntime.core;

/** A command-line argument, bundle or config value is wrong; the message names which one and why. */
public final class InvalidArgumentException extends JRuntimeException {
    public InvalidArgumentException(String message) {
        super(message);
    }
}

package io.jruntime.cli;

import io.jruntime.core.JRuntimeException;

/** No such command; exit status 3 and the text runc uses ("No help topic for 'x'"). */
public final class UnknownCommandException extends JRuntimeException {
    public UnknownCommandException(String name) {
        super("No help topic for '" + name + "'");
    }
}

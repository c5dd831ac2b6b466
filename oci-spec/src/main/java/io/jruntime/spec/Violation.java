package io.jruntime.spec;

import java.util.Objects;

/**
 * One thing wrong with a configuration.
 *
 * @param path    JSON path of the offending value, e.g. {@code linux.namespaces[2].type}
 * @param message what is wrong and, where it is not obvious, how to fix it
 */
public record Violation(String path, String message) {

    public Violation {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
        return path + ": " + message;
    }
}

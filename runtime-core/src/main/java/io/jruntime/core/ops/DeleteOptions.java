package io.jruntime.core.ops;

import java.util.Objects;

/**
 * {@code delete [--force/-f] <id>}. With force, a running container is killed with SIGKILL first, and a
 * container that does not exist is not an error (exit 0, as runc; Podman relies on it).
 */
public record DeleteOptions(String id, boolean force) {
    public DeleteOptions {
        Objects.requireNonNull(id, "id");
    }
}

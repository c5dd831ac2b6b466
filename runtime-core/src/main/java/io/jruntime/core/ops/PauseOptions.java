package io.jruntime.core.ops;

import java.util.Objects;

/** {@code pause <id>}. */
public record PauseOptions(String id) {
    public PauseOptions {
        Objects.requireNonNull(id, "id");
    }
}

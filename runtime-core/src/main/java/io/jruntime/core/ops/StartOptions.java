package io.jruntime.core.ops;

import java.util.Objects;

/** {@code start <id>}. */
public record StartOptions(String id) {
    public StartOptions {
        Objects.requireNonNull(id, "id");
    }
}

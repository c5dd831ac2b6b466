package io.jruntime.core.ops;

import java.util.Objects;

/** {@code state <id>}. */
public record StateOptions(String id) {
    public StateOptions {
        Objects.requireNonNull(id, "id");
    }
}

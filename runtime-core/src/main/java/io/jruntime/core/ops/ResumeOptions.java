package io.jruntime.core.ops;

import java.util.Objects;

/** {@code resume <id>}. */
public record ResumeOptions(String id) {
    public ResumeOptions {
        Objects.requireNonNull(id, "id");
    }
}

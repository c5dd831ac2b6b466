package io.jruntime.core.ops;

import java.nio.file.Path;
import java.util.Objects;

/** {@code spec [--bundle/-b B] [--rootless]}: bundle is absolute (default: the working directory). */
public record SpecOptions(Path bundle, boolean rootless) {
    public SpecOptions {
        Objects.requireNonNull(bundle, "bundle");
    }
}

package io.jruntime.core.ops;

import java.util.Objects;

/** {@code list [--format/-f table|json] [--quiet/-q]}; quiet prints only ids and wins over the format. */
public record ListOptions(OutputFormat format, boolean quiet) {
    public ListOptions {
        Objects.requireNonNull(format, "format");
    }
}

package io.jruntime.core.ops;

import java.util.List;
import java.util.Objects;

/**
 * {@code ps [--format/-f table|json] <id> [ps options...]}.
 *
 * @param format TABLE runs ps(1) with psArgs (default "-ef") and keeps the lines of the container's
 *               processes; JSON prints the container's pids as a JSON array (psArgs not allowed)
 * @param psArgs everything after the id, passed to ps(1)
 */
public record PsOptions(String id, OutputFormat format, List<String> psArgs) {
    public PsOptions {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(format, "format");
        psArgs = List.copyOf(psArgs);
    }
}

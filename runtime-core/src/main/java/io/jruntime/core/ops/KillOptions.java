package io.jruntime.core.ops;

import java.util.Objects;

/**
 * {@code kill [--all/-a] <id> [signal]}.
 *
 * @param signal signal number, already parsed by {@link io.jruntime.core.Signals#parse} (default SIGTERM);
 *               not range-checked, as in runc: kill(2) reports EINVAL for a bad number
 * @param all    send the signal to every process in the container, not just init
 */
public record KillOptions(String id, int signal, boolean all) {
    public KillOptions {
        Objects.requireNonNull(id, "id");
    }
}

package io.jruntime.core.ops;

import java.time.Duration;
import java.util.Objects;

/**
 * {@code events [--interval D] [--stats] <id>}.
 *
 * @param interval how often stats are emitted (default 5s, always > 0)
 * @param stats    print the stats once and exit
 */
public record EventsOptions(String id, Duration interval, boolean stats) {
    public EventsOptions {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(interval, "interval");
    }
}

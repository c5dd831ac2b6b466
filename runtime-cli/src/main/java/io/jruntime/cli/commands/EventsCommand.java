package io.jruntime.cli.commands;

import io.jruntime.cli.FlagSpec;
import io.jruntime.cli.GoValues;
import io.jruntime.core.InvalidArgumentException;
import io.jruntime.core.ops.EventsOptions;

import java.time.Duration;

public final class EventsCommand extends BaseCommand {
    static final FlagSpec SPEC = FlagSpec.command("events")
            .synopsis("jruntime events [command options] <container-id>")
            .description("Print container events (OOM notifications) and resource statistics as JSON,",
                    "every 5 seconds by default.", "")
            .value("interval", "statistics interval, e.g. 5s or 500ms (default: 5s)")
            .bool("stats", "print the statistics once and exit")
            .build();

    @Override
    public FlagSpec spec() {
        return SPEC;
    }

    @Override
    public String summary() {
        return "show container events and resource statistics";
    }

    @Override
    protected int execute(Invocation inv) {
        String interval = value("interval");
        Duration d = interval == null ? Duration.ofSeconds(5) : GoValues.parseDuration(interval, "interval", name());
        String id = id();
        if (d.isZero() || d.isNegative()) {
            throw new InvalidArgumentException("duration interval must be greater than 0");
        }
        inv.ops().events(inv.global(), new EventsOptions(id, d, bool("stats")));
        return 0;
    }
}

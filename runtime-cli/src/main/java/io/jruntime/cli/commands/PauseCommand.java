package io.jruntime.cli.commands;

import io.jruntime.cli.FlagSpec;
import io.jruntime.core.ops.PauseOptions;

public final class PauseCommand extends BaseCommand {
    static final FlagSpec SPEC = FlagSpec.command("pause")
            .synopsis("jruntime pause <container-id>")
            .description("Freeze every process of the container (cgroup freezer).", "")
            .build();

    @Override
    public FlagSpec spec() {
        return SPEC;
    }

    @Override
    public String summary() {
        return "suspend every process of the container";
    }

    @Override
    protected int execute(Invocation inv) {
        inv.ops().pause(inv.global(), new PauseOptions(id()));
        return 0;
    }
}

package io.jruntime.cli.commands;

import io.jruntime.cli.FlagSpec;
import io.jruntime.core.ops.StartOptions;

public final class StartCommand extends BaseCommand {
    static final FlagSpec SPEC = FlagSpec.command("start")
            .synopsis("jruntime start <container-id>")
            .description("Run the process configured in the bundle's config.json in a container made by `jruntime create`.", "")
            .build();

    @Override
    public FlagSpec spec() {
        return SPEC;
    }

    @Override
    public String summary() {
        return "run the configured process of a created container";
    }

    @Override
    protected int execute(Invocation inv) {
        inv.ops().start(inv.global(), new StartOptions(id()));
        return 0;
    }
}

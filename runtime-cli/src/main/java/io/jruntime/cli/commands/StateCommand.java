package io.jruntime.cli.commands;

import io.jruntime.cli.FlagSpec;
import io.jruntime.core.ops.StateOptions;

public final class StateCommand extends BaseCommand {
    static final FlagSpec SPEC = FlagSpec.command("state")
            .synopsis("jruntime state <container-id>")
            .description("Print the runtime-spec state of the container as JSON.", "")
            .build();

    @Override
    public FlagSpec spec() {
        return SPEC;
    }

    @Override
    public String summary() {
        return "print the state of a container as JSON";
    }

    @Override
    protected int execute(Invocation inv) {
        inv.ops().state(inv.global(), new StateOptions(id()));
        return 0;
    }
}

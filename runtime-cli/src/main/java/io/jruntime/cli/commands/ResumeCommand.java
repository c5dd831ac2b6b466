package io.jruntime.cli.commands;

import io.jruntime.cli.FlagSpec;
import io.jruntime.core.ops.ResumeOptions;

public final class ResumeCommand extends BaseCommand {
    static final FlagSpec SPEC = FlagSpec.command("resume")
            .synopsis("jruntime resume <container-id>")
            .description("Thaw a container frozen by `jruntime pause`.", "")
            .build();

    @Override
    public FlagSpec spec() {
        return SPEC;
    }

    @Override
    public String summary() {
        return "resume every process of a paused container";
    }

    @Override
    protected int execute(Invocation inv) {
        inv.ops().resume(inv.global(), new ResumeOptions(id()));
        return 0;
    }
}

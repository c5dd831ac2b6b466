package io.jruntime.cli.commands;

import io.jruntime.cli.FlagSpec;

public final class FeaturesCommand extends BaseCommand {
    static final FlagSpec SPEC = FlagSpec.command("features")
            .synopsis("jruntime features")
            .description("Print what this build of jruntime supports, as the runtime-spec features JSON document.", "")
            .build();

    @Override
    public FlagSpec spec() {
        return SPEC;
    }

    @Override
    public String summary() {
        return "show what this runtime supports (runtime-spec features JSON)";
    }

    @Override
    protected int execute(Invocation inv) {
        exactArgs(0);
        inv.ops().features(inv.global());
        return 0;
    }
}

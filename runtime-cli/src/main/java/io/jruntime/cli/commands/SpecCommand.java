package io.jruntime.cli.commands;

import io.jruntime.cli.FlagSpec;
import io.jruntime.core.ops.SpecOptions;

public final class SpecCommand extends BaseCommand {
    static final FlagSpec SPEC = FlagSpec.command("spec")
            .synopsis("jruntime spec [command options]")
            .description("Write a starter config.json into the bundle directory: it runs \"sh\" from a \"rootfs\"",
                    "directory beside it. Edit it to suit. An existing config.json is never overwritten.", "")
            .value("bundle", "b", "path to the bundle directory")
            .bool("rootless", "write a configuration for a rootless container")
            .build();

    @Override
    public FlagSpec spec() {
        return SPEC;
    }

    @Override
    public String summary() {
        return "write a starter config.json";
    }

    @Override
    protected int execute(Invocation inv) {
        exactArgs(0);
        inv.ops().spec(inv.global(), new SpecOptions(absOrCwd(inv, value("bundle")), bool("rootless")));
        return 0;
    }
}

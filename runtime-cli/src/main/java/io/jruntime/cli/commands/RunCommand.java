package io.jruntime.cli.commands;

import io.jruntime.cli.FlagSpec;
import io.jruntime.core.ops.RunOptions;

public final class RunCommand extends BaseCommand {
    static final FlagSpec SPEC = CreateCommand.createFlags(FlagSpec.command("run")
            .synopsis("jruntime run [command options] <container-id>")
            .description("Create and start a container from a bundle, then wait for it to exit (unless --detach)",
                    "and exit with its exit status.", ""), true)
            .build();

    @Override
    public FlagSpec spec() {
        return SPEC;
    }

    @Override
    public String summary() {
        return "create and start a container, wait for it";
    }

    @Override
    protected int execute(Invocation inv) {
        String id = id();
        RunOptions o = new RunOptions(CreateCommand.createOptions(this, inv, id), bool("detach"), bool("keep"),
                bool("no-subreaper"));
        return Failures.prefixed("jruntime run failed: ", new Failures.Body() {
            @Override
            public int run() {
                return inv.ops().run(inv.global(), o);
            }
        });
    }
}

package io.jruntime.cli.commands;

import io.jruntime.cli.FlagSpec;
import io.jruntime.core.ops.DeleteOptions;

public final class DeleteCommand extends BaseCommand {
    static final FlagSpec SPEC = FlagSpec.command("delete")
            .synopsis("jruntime delete [command options] <container-id>")
            .description("Delete what a container holds (state, cgroups). A running container is only deleted with",
                    "--force, which kills it with SIGKILL first; --force also succeeds when the container does not exist.", "")
            .bool("force", "f", "kill the container with SIGKILL if it is still running")
            .build();

    @Override
    public FlagSpec spec() {
        return SPEC;
    }

    @Override
    public String summary() {
        return "delete a container and what it holds";
    }

    @Override
    protected int execute(Invocation inv) {
        inv.ops().delete(inv.global(), new DeleteOptions(id(), bool("force")));
        return 0;
    }
}

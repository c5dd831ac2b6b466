package io.jruntime.cli.commands;

import io.jruntime.cli.FlagSpec;
import io.jruntime.core.ops.PsOptions;

import java.util.List;

public final class PsCommand extends BaseCommand {
    static final FlagSpec SPEC = FlagSpec.command("ps")
            .synopsis("jruntime ps [command options] <container-id> [ps options]")
            .description("Show the processes running inside a container. Arguments after the id are passed to ps(1)",
                    "(default: -ef); --format json prints the container's pids as a JSON array.", "")
            .value("format", "f", "table or json (default: \"table\")")
            .build();

    @Override
    public FlagSpec spec() {
        return SPEC;
    }

    @Override
    public String summary() {
        return "show the processes of a container";
    }

    @Override
    public boolean stopAtPositional() {
        return true;
    }

    @Override
    protected int execute(Invocation inv) {
        minArgs(1);
        List<String> psArgs = args().subList(1, args().size());
        inv.ops().ps(inv.global(), new PsOptions(args().get(0), ListCommand.format(value("format", "table"), false),
                psArgs.isEmpty() ? List.of("-ef") : psArgs));
        return 0;
    }
}

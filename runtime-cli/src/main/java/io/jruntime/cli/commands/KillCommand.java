package io.jruntime.cli.commands;

import io.jruntime.cli.FlagSpec;
import io.jruntime.core.Signals;
import io.jruntime.core.ops.KillOptions;

public final class KillCommand extends BaseCommand {
    static final FlagSpec SPEC = FlagSpec.command("kill")
            .synopsis("jruntime kill [command options] <container-id> [signal]")
            .description("Send a signal to the container's init process. The signal is a number (9) or a name with",
                    "or without SIG, in any case (KILL, SIGKILL); the default is SIGTERM.", "")
            .bool("all", "a", "send the signal to every process in the container")
            .build();

    @Override
    public FlagSpec spec() {
        return SPEC;
    }

    @Override
    public String summary() {
        return "send a signal (default: SIGTERM) to the container's init process";
    }

    @Override
    protected int execute(Invocation inv) {
        minArgs(1);
        maxArgs(2);
        int signal = args().size() == 2 ? Signals.parse(args().get(1)) : Signals.SIGTERM;
        inv.ops().kill(inv.global(), new KillOptions(args().get(0), signal, bool("all")));
        return 0;
    }
}

package io.jruntime.cli.commands;

import io.jruntime.cli.FlagSpec;
import io.jruntime.core.JRuntimeException;
import io.jruntime.core.ops.ListOptions;
import io.jruntime.core.ops.OutputFormat;

public final class ListCommand extends BaseCommand {
    static final FlagSpec SPEC = FlagSpec.command("list")
            .synopsis("jruntime list [command options]")
            .description("List the containers whose state is kept under the global --root (default: /run/jruntime).", "")
            .value("format", "f", "table or json (default: \"table\")")
            .bool("quiet", "q", "print only the container ids")
            .build();

    @Override
    public FlagSpec spec() {
        return SPEC;
    }

    @Override
    public String summary() {
        return "list the containers in the --root directory";
    }

    @Override
    protected int execute(Invocation inv) {
        exactArgs(0);
        boolean quiet = bool("quiet");
        inv.ops().list(inv.global(), new ListOptions(format(value("format", "table"), quiet), quiet));
        return 0;
    }

    /** "table" or "json"; anything else fails with runc's message (not a usage error) unless lenient. */
    static OutputFormat format(String f, boolean lenient) {
        switch (f) {
            case "table":
                return OutputFormat.TABLE;
            case "json":
                return OutputFormat.JSON;
            default:
                if (lenient) {
                    return OutputFormat.TABLE;
                }
                throw new JRuntimeException("invalid format option");
        }
    }
}

package io.jruntime.cli.commands;

import io.jruntime.cli.FlagSpec;
import io.jruntime.core.ops.CreateOptions;

public final class CreateCommand extends BaseCommand {
    static final FlagSpec SPEC = createFlags(FlagSpec.command("create")
            .synopsis("jruntime create [command options] <container-id>")
            .description("Create a container from a bundle (a directory holding config.json and the root filesystem).",
                    "The container stays \"created\" until `jruntime start` runs its process.", ""), false)
            .build();

    /** The flags create and run share, in runc's help order (run adds its own in between). */
    static FlagSpec.Builder createFlags(FlagSpec.Builder b, boolean run) {
        b.value("bundle", "b", "path to the bundle directory (default: the current directory)")
                .value("console-socket", "AF_UNIX socket that receives the master end of the console's pseudo-terminal");
        if (run) {
            b.bool("detach", "d", "detach from the container's process")
                    .bool("keep", "do not delete the container after it exits");
        }
        b.value("pid-file", "file to write the init process id to");
        if (run) {
            b.bool("no-subreaper", "do not act as subreaper of re-parented processes");
        }
        return b.bool("no-pivot", "do not use pivot_root to jail the process (for a rootfs on a ramdisk)")
                .bool("no-new-keyring", "do not create a new session keyring; inherit the caller's")
                .value("preserve-fds", "pass N extra file descriptors (after stdio and $LISTEN_FDS) to the container (default: 0)");
    }

    /** The create part of create and run. */
    static CreateOptions createOptions(BaseCommand c, Invocation inv, String id) {
        return new CreateOptions(id, absOrCwd(inv, c.value("bundle")), path(c.value("console-socket")),
                abs(inv, c.value("pid-file")), c.bool("no-pivot"), c.bool("no-new-keyring"), c.int32("preserve-fds", 0));
    }

    @Override
    public FlagSpec spec() {
        return SPEC;
    }

    @Override
    public String summary() {
        return "create a container";
    }

    @Override
    protected int execute(Invocation inv) {
        String id = id();
        CreateOptions o = createOptions(this, inv, id);
        return Failures.prefixed("jruntime create failed: ", new Failures.Body() {
            @Override
            public int run() {
                inv.ops().create(inv.global(), o);
                return 0;
            }
        });
    }
}

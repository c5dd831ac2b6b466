package io.jruntime.cli.commands;

import io.jruntime.cli.FlagSpec;
import io.jruntime.core.InvalidArgumentException;
import io.jruntime.core.NotImplementedException;
import io.jruntime.criu.migrate.MigrateOptions;
import io.jruntime.criu.migrate.TargetBundle;

/**
 * {@code jruntime migrate send|receive} (not a runc command; docs/MIGRATION.md): move a running container to another
 * host over one authenticated connection, without a shared filesystem, never losing it on the way.
 */
public final class MigrateCommand extends BaseCommand {
    static final FlagSpec SPEC = FlagSpec.command("migrate")
            .synopsis("jruntime migrate [command options] send <container-id> | receive <new-id>")
            .description("Move a running container to another host. On the target:",
                    "  jruntime migrate receive --listen ADDR:PORT --bundle DIR [--mount DEST=SOURCE ...] --token-file F NEW_ID",
                    "waits for one migration (port 0: any free port; the port is printed). On the source:",
                    "  jruntime migrate send --to ADDR:PORT --token-file F [--dry-run] [--keep-source] ID",
                    "checks with the target before freezing anything, then checkpoints, sends the images, and removes",
                    "the source only once the target runs it. See docs/MIGRATION.md.")
            .value("to", "send: ADDRESS:PORT of the receiving jruntime")
            .value("listen", "receive: ADDRESS:PORT to listen on (port 0: any free port)")
            .value("token-file", "file with the shared secret both sides hold (mode 0600)")
            .value("bundle", "b", "receive: bundle with the rootfs (and config.json) of this host")
            .list("mount", "receive: DEST=SOURCE, the source of the bind mount at DEST (repeatable)")
            .value("work-path", "where images are staged (default: the temporary directory)")
            .bool("dry-run", "send: run the target's preflight only")
            .bool("keep-source", "send: keep the stopped source container and its images after success")
            .bool("lazy", "send: move memory after the container runs on the target (not implemented yet)")
            .bool("tcp-established", "send: allow open TCP connections")
            .bool("ext-unix-sk", "send: allow external unix sockets")
            .bool("shell-job", "send: allow shell jobs")
            .bool("file-locks", "send: checkpoint file locks")
            .build();

    @Override
    public FlagSpec spec() {
        return SPEC;
    }

    @Override
    public String summary() {
        return "move a running container to another host (jruntime extension)";
    }

    @Override
    protected int execute(Invocation inv) {
        exactArgs(2);
        String action = args().get(0);
        boolean send = switch (action) {
            case "send" -> true;
            case "receive" -> false;
            default -> throw new InvalidArgumentException("migrate: unknown action \"" + action + "\" (want send or receive)");
        };
        if (bool("lazy")) {
            throw new NotImplementedException("migrate --lazy");
        }
        String tokenFile = required("token-file");
        for (String f : send ? new String[]{"listen", "bundle", "mount"} : new String[]{"to", "dry-run", "keep-source",
                "tcp-established", "ext-unix-sk", "shell-job", "file-locks"}) {
            if (given(f)) {
                throw new InvalidArgumentException("--" + f + " is not a flag of migrate " + action);
            }
        }
        String address = required(send ? "to" : "listen");
        MigrateOptions o = new MigrateOptions(send, args().get(1), address, abs(inv, tokenFile),
                send ? null : absOrCwd(inv, value("bundle")),
                TargetBundle.MountOverride.parseAll("mount", list("mount"), inv.cwd()), abs(inv, value("work-path")),
                bool("dry-run"), bool("keep-source"), bool("tcp-established"), bool("ext-unix-sk"), bool("shell-job"),
                bool("file-locks"));
        return inv.ops().migrate(inv.global(), o);
    }

    private String required(String flag) {
        String v = value(flag);
        if (v == null || v.isEmpty()) {
            throw new InvalidArgumentException("migrate " + args().get(0) + " needs --" + flag);
        }
        return v;
    }

    private boolean given(String flag) {
        String v = value(flag);
        return (v != null && !v.isEmpty()) || bool(flag) || !list(flag).isEmpty();
    }
}

package io.jruntime.cli.commands;

import io.jruntime.cli.FlagSpec;
import io.jruntime.cli.GoValues;
import io.jruntime.core.ExecFailedException;
import io.jruntime.core.ops.ExecOptions;

import java.util.ArrayList;
import java.util.List;

public final class ExecCommand extends BaseCommand {
    static final FlagSpec SPEC = FlagSpec.command("exec")
            .synopsis("jruntime exec [command options] <container-id> <command> [args...]",
                    "       jruntime exec [command options] -p process.json <container-id>")
            .description("Run a new process inside a running container. Everything after the container id is the",
                    "command and its arguments (never parsed as flags). Failures exit with status 255.", "")
            .value("console-socket", "AF_UNIX socket that receives the master end of the console's pseudo-terminal")
            .value("cwd", "working directory in the container")
            .list("env", "e", "set an environment variable, KEY=value (repeatable)")
            .bool("tty", "t", "allocate a pseudo-TTY")
            .value("user", "u", "user to run as, <uid>[:<gid>]")
            .list("additional-gids", "g", "additional gid (repeatable)")
            .value("process", "p", "path to a process.json")
            .bool("detach", "d", "detach from the process")
            .value("pid-file", "file to write the process id to")
            .value("process-label", "SELinux label for the process")
            .value("apparmor", "AppArmor profile for the process")
            .bool("no-new-privs", "set no_new_privs for the process")
            .list("cap", "c", "add a capability to the process (repeatable)")
            .value("preserve-fds", "pass N extra file descriptors (after stdio and $LISTEN_FDS) to the process (default: 0)")
            .list("cgroup", "run in an existing sub-cgroup, [<controller>:]<path> (repeatable)")
            .bool("ignore-paused", "allow exec in a paused container")
            .build();

    @Override
    public FlagSpec spec() {
        return SPEC;
    }

    @Override
    public String summary() {
        return "run a new process inside a container";
    }

    @Override
    public boolean stopAtPositional() {
        return true;
    }

    @Override
    protected int execute(Invocation inv) {
        minArgs(1);
        int fds = int32("preserve-fds", 0);
        return Failures.exec(new Failures.Body() {
            @Override
            public int run() {
                return inv.ops().exec(inv.global(), options(inv, fds));
            }
        });
    }

    private ExecOptions options(Invocation inv, int fds) {
        List<String> command = args().subList(1, args().size());
        String process = value("process");
        if (process == null && command.isEmpty()) {
            throw new ExecFailedException("process args cannot be empty");
        }
        Long uid = null;
        Long gid = null;
        String user = value("user");
        if (user != null && !user.isEmpty()) {
            int colon = user.indexOf(':');
            uid = id32(colon < 0 ? user : user.substring(0, colon), "uid");
            if (colon >= 0) {
                gid = id32(user.substring(colon + 1), "gid");
            }
        }
        List<Long> gids = new ArrayList<>();
        for (String g : list("additional-gids")) {
            Long v = GoValues.parseDecimalInt(g);
            if (v == null) {
                throw new ExecFailedException("invalid additional-gids value \"" + g + "\"");
            }
            if (v < 0 || v > 0xffffffffL) {
                throw new ExecFailedException("additional-gids must be a positive number " + g);
            }
            gids.add(v);
        }
        return new ExecOptions(args().get(0), command, abs(inv, process), path(value("console-socket")), value("cwd"),
                list("env"), bool("tty"), uid, gid, gids, bool("detach"), abs(inv, value("pid-file")),
                value("process-label"), value("apparmor"), bool("no-new-privs"), list("cap"), fds, list("cgroup"),
                bool("ignore-paused"));
    }

    private static Long id32(String s, String what) {
        Long v = GoValues.parseDecimalInt(s);
        if (v == null || v < 0 || v > 0xffffffffL) {
            throw new ExecFailedException("parsing " + s + " as int for " + what + " failed");
        }
        return v;
    }
}

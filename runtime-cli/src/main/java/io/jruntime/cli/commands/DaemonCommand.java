package io.jruntime.cli.commands;

import io.jruntime.cli.FlagSpec;
import io.jruntime.cli.daemon.DaemonClient;
import io.jruntime.cli.daemon.DaemonServer;
import io.jruntime.core.InvalidArgumentException;

import java.nio.file.Path;

/**
 * {@code jruntime daemon run|start|stop|status}: the optional resident JVM that bin/jruntime hands the short
 * lifecycle commands to (not a runc command; see docs/PERFORMANCE.md and README).
 */
public final class DaemonCommand extends BaseCommand {
    static final FlagSpec SPEC = FlagSpec.command("daemon")
            .synopsis("jruntime daemon [command options] run|start|stop|status")
            .description("Run, start, stop or query the jruntime daemon: a resident JVM that serves create, start, delete,",
                    "kill, state, list, pause, resume, ps, update, run -d, exec -d, checkpoint and restore -d (unless",
                    "lazy) for bin/jruntime, so engines do not pay a JVM start per call. bin/jruntime uses it when",
                    "$JRUNTIME_DAEMON_SOCKET (default " + DaemonClient.DEFAULT_SOCKET + ") answers and $JRUNTIME_DAEMON",
                    "is not 0; everything else, and every call the daemon declines, runs in its own JVM as before.",
                    "In a user namespace (rootless Podman) bin/jruntime starts a per-user daemon on demand on",
                    "$XDG_RUNTIME_DIR/jruntime-daemon/daemon.sock (the default socket there), which exits after",
                    "$JRUNTIME_DAEMON_IDLE seconds (default 60) without a command.")
            .value("socket", "socket path (default: $JRUNTIME_DAEMON_SOCKET, else " + DaemonClient.DEFAULT_SOCKET
                    + ", in a user namespace $XDG_RUNTIME_DIR/jruntime-daemon/daemon.sock)")
            .value("idle-timeout", "run/start: exit after this many seconds without a command (default: 0, never)")
            .value("lock-fd", "run: an open file whose flock(2) this daemon holds for its life (how bin/jruntime starts"
                    + " the per-user daemon: at most one per directory)")
            .build();

    @Override
    public FlagSpec spec() {
        return SPEC;
    }

    @Override
    public String summary() {
        return "run or control the jruntime daemon (a resident JVM for quick commands)";
    }

    @Override
    protected int execute(Invocation inv) {
        exactArgs(1);
        String s = value("socket");
        if (s == null || s.isEmpty()) {
            s = System.getenv("JRUNTIME_DAEMON_SOCKET");
        }
        Path socket = inv.cwd().resolve(s == null || s.isEmpty() ? DaemonClient.defaultSocket() : s).normalize();
        long idle;
        try {
            idle = Long.parseLong(value("idle-timeout", "0"));
        } catch (NumberFormatException e) {
            throw new InvalidArgumentException("--idle-timeout: not a number of seconds: " + value("idle-timeout"));
        }
        if (idle < 0) {
            throw new InvalidArgumentException("--idle-timeout: must not be negative: " + idle);
        }
        int lockFd = -1;
        if (value("lock-fd") != null) {
            try {
                lockFd = Integer.parseInt(value("lock-fd"));
            } catch (NumberFormatException e) {
                throw new InvalidArgumentException("--lock-fd: not an fd number: " + value("lock-fd"));
            }
        }
        java.io.PrintStream out = inv.ops().out();
        switch (args().get(0)) {
            case "run" -> new DaemonServer(socket, idle, lockFd, System.err).run();
            case "start" -> out.println("running: " + DaemonClient.start(socket, idle));
            case "stop" -> out.println(DaemonClient.stop(socket) ? "stopped" : "no jruntime daemon on " + socket);
            case "status" -> {
                String st = DaemonClient.status(socket);
                out.println(st == null ? "no jruntime daemon on " + socket : "running: " + st);
                return st == null ? 1 : 0;
            }
            default -> throw new InvalidArgumentException("daemon: unknown action \"" + args().get(0)
                    + "\" (want run, start, stop or status)");
        }
        return 0;
    }
}

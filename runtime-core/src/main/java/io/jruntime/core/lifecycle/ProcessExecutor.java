package io.jruntime.core.lifecycle;

import io.jruntime.core.ContainerStateException;
import io.jruntime.core.ExecFailedException;
import io.jruntime.core.InvalidArgumentException;
import io.jruntime.core.JRuntimeException;
import io.jruntime.core.RuntimeContext;
import io.jruntime.core.cgroups.Cgroup;
import io.jruntime.core.init.InitSession;
import io.jruntime.core.sys.Caller;
import io.jruntime.core.init.LaunchPlan;
import io.jruntime.core.security.SecurityModules;
import io.jruntime.core.state.ContainerState;
import io.jruntime.core.state.ContainerStatus;
import io.jruntime.core.state.StatusResolver;
import io.jruntime.core.sys.Syscalls;
import io.jruntime.core.terminal.ConsoleSocket;
import io.jruntime.spec.Process;
import io.jruntime.spec.Spec;

import java.nio.file.Path;
import java.util.function.IntConsumer;

/**
 * {@code exec}: start one more process inside a running container. The helper joins every namespace the
 * container has (user first), Java puts the new process into the container's cgroups before it runs, and
 * the process gets the container's confinement with the exec's own overrides.
 */
public final class ProcessExecutor {
    /** @param config the container's saved config.json (its linux section confines the process), or null */
    public record Request(String id, Process process, Spec config, Path pidFile, String consoleSocket, boolean detach,
                          int preserveFds, boolean ignorePaused, IntConsumer terminalSink, Caller caller) {
    }

    private ProcessExecutor() {
    }

    /** Returns the host pid of the started process (not yet waited for). */
    public static int start(RuntimeContext ctx, Request r) {
        ContainerState s = ctx.store().load(r.id());
        ContainerStatus st = StatusResolver.status(ctx.store(), s);
        if (st == ContainerStatus.STOPPED) {
            throw new ContainerStateException("cannot exec in a stopped container");
        }
        if (st == ContainerStatus.PAUSED && !r.ignorePaused()) {
            throw new ContainerStateException("cannot exec in a paused container (use --ignore-paused to override)");
        }
        SecurityModules.check("process.apparmorProfile (exec --apparmor)", r.process().apparmorProfile(),
                "process.selinuxLabel (exec --process-label)", r.process().selinuxLabel());
        boolean terminal = Boolean.TRUE.equals(r.process().terminal());
        if (terminal && r.consoleSocket() == null && r.terminalSink() == null) {
            throw new InvalidArgumentException("cannot allocate a terminal for a detached process without --console-socket");
        }
        Spec spec = r.config();
        LaunchPlan plan = PlanBuilder.forExec(s.namespacePaths(), r.process(), spec == null ? null : spec.linux(),
                r.preserveFds(), ctx.rootlessEuid() && setgroupsDenied(s.initPid()),
                Seccomp.compile(spec == null ? null : spec.linux()), s.rootfs());
        try (InitSession session = InitSession.start(plan, r.caller())) {
            InitSession.Callbacks cb = new InitSession.Callbacks() {
                @Override
                public void writeIdMaps(int pid) {
                    throw new JRuntimeException("exec must not create a user namespace");
                }

                @Override
                public void runtimeHooks() {
                }

                @Override
                public void seccompListener(int notifyFd, int pid) {
                    Seccomp.handOver(spec.linux(), notifyFd, pid, StateJson.of(s, ContainerStatus.RUNNING));
                }

                @Override
                public void console(int masterFd) {
                    ConsoleSocket.deliver(r.consoleSocket(), r.terminalSink(), masterFd);
                }
            };
            int pid = session.awaitChildPid(cb);
            joinCgroups(s, pid);
            session.go(StateJson.of(s, ContainerStatus.RUNNING));
            session.awaitReady(cb);
            if (r.pidFile() != null) {
                ContainerCreator.writePidFile(r.pidFile(), pid);
            }
            session.release();
            return pid;
        } catch (ExecFailedException e) {
            throw e;
        } catch (JRuntimeException e) {
            throw new ExecFailedException(e);
        }
    }

    /** Whether the container's user namespace denies setgroups (what its creator wrote to /proc/PID/setgroups). */
    private static boolean setgroupsDenied(int initPid) {
        try {
            return java.nio.file.Files.readString(Path.of("/proc/" + initPid + "/setgroups")).trim().equals("deny");
        } catch (java.io.IOException e) {
            return true;
        }
    }

    private static void joinCgroups(ContainerState s, int pid) {
        if (!s.cgroupPaths().isEmpty()) {
            Cgroup.fromPaths(s.cgroupPaths()).join(pid);
        }
    }
}
